namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>One entry of a mailbox's error log: when, what, how to fix it, and the server's own (sanitised) words.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.MailboxError")]
public sealed record MailboxError(
    [property: Id(0)] DateTimeOffset OccurredAt,
    [property: Id(1)] MailboxErrorCode Code,
    [property: Id(2)] string Message,
    [property: Id(3)] string Fix,
    [property: Id(4)] string? Detail,
    [property: Id(5)] int Attempt);
