using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>One mailbox status change of the feed, at its place (<see cref="Position"/>) in the company's log.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.StatusChange")]
public sealed record StatusChange(
    [property: Id(0)] long Position,
    [property: Id(1)] string EventId,
    [property: Id(2)] string UserId,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] MailboxStatus OldStatus,
    [property: Id(5)] MailboxStatus NewStatus,
    [property: Id(6)] MailboxErrorCode? LastErrorCode);
