using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// The status-relevant facts of one mailbox, changed only by <see cref="MailboxStatusMachine"/>.
/// <see cref="NextAttemptAt"/> null means no attempt is scheduled.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.MailboxLifecycle")]
public sealed record MailboxLifecycle(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] DateTimeOffset? PendingSince = null,
    [property: Id(2)] DateTimeOffset? FailingSince = null,
    [property: Id(3)] int ConsecutiveFailures = 0,
    [property: Id(4)] DateTimeOffset? NextAttemptAt = null,
    [property: Id(5)] DateTimeOffset? LastSyncAt = null)
{
    /// <summary>A fresh instance each time: storage deserializers may populate an existing object in place.</summary>
    public static MailboxLifecycle NotConfigured => new(MailboxStatus.NotConfigured);

    public bool IsAttemptDue(DateTimeOffset now) =>
        NextAttemptAt is { } at && at <= now && Status.HoldsSeat();
}
