namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>
/// What a request with a per-mailbox cooldown did (sync now: MailSync:SyncNowCooldown; a connect through the API:
/// MailSync:ConnectCooldown). <see cref="Ran"/>: it ran, and the next one may run after <see cref="RetryAfter"/>. Not
/// <see cref="Ran"/> with a positive <see cref="RetryAfter"/>: refused, the previous one ran less than the cooldown ago,
/// nothing changed. Not <see cref="Ran"/> with a zero <see cref="RetryAfter"/>: nothing to sync (<see cref="View"/> says
/// Pending or NotConfigured).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.CooldownResult")]
public sealed record CooldownResult([property: Id(0)] bool Ran, [property: Id(1)] TimeSpan RetryAfter, [property: Id(2)] MailboxView View)
{
    public bool CoolingDown => !Ran && RetryAfter > TimeSpan.Zero;
}
