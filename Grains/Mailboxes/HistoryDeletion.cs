namespace MailSync.Grains.Mailboxes;

/// <summary>
/// A disconnect's promise to remove the user's timeline entries, kept in the mailbox's state until every entry is gone:
/// <see cref="From"/> is where the next bounded step goes on (null: from the start).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.HistoryDeletion")]
public sealed record HistoryDeletion(
    [property: Id(0)] DateTimeOffset Since,
    [property: Id(1)] string? From = null);
