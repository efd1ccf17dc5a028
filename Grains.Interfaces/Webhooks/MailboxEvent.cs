using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>
/// One change a mailbox announces: its id (the same on every delivery of it: receivers deduplicate on it), type, when it
/// happened, the event's <c>data</c> object as JSON (bounded by the mailbox that made it), and for
/// status changes the two statuses, which the change feed keeps as columns.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.MailboxEvent")]
public sealed record MailboxEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string UserId,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] string Data,
    [property: Id(5)] MailboxStatus? OldStatus = null,
    [property: Id(6)] MailboxStatus? NewStatus = null,
    [property: Id(7)] MailboxErrorCode? ErrorCode = null);
