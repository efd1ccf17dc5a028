namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>A mailbox as its user and the company's admins see it. Never carries a secret.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.MailboxView")]
public sealed record MailboxView(
    [property: Id(0)] string CompanyId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string? Email,
    [property: Id(3)] MailboxProvider? Provider,
    [property: Id(4)] MailboxStatus Status,
    [property: Id(5)] DateTimeOffset? LastSyncAt,
    [property: Id(6)] MailboxError? LastError,
    [property: Id(7)] long MessagesSynced,
    [property: Id(8)] DateTimeOffset? PendingSince,
    [property: Id(9)] DateTimeOffset? FailingSince,
    [property: Id(10)] DateTimeOffset? NextAttemptAt)
{
    public bool Billable => Status.IsBilled();

    public string Color => Status.Color();
}
