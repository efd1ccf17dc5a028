namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>
/// What "sync now" did. <see cref="Ran"/>: an attempt is due now, and the next sync now may run after
/// <see cref="RetryAfter"/> (MailSync:SyncNowCooldown). Not <see cref="Ran"/> with a positive <see cref="RetryAfter"/>:
/// refused, the previous one ran less than the cooldown ago, nothing changed. Not <see cref="Ran"/> with a zero
/// <see cref="RetryAfter"/>: nothing to sync (<see cref="View"/> says Pending or NotConfigured).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.SyncNowResult")]
public sealed record SyncNowResult([property: Id(0)] bool Ran, [property: Id(1)] TimeSpan RetryAfter, [property: Id(2)] MailboxView View)
{
    public bool CoolingDown => !Ran && RetryAfter > TimeSpan.Zero;
}
