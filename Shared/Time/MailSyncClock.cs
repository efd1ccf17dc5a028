namespace MailSync.Shared.Time;

/// <summary>
/// The time source of the mail-sync rules (back-off, the 48 h rule, billing). Separate from the TimeProvider Orleans
/// itself uses, so tests can drive these rules with a fake clock without touching the cluster's own timing.
/// </summary>
public sealed class MailSyncClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();
}
