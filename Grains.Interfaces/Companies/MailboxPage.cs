using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Interfaces.Companies;

/// <summary>One page of a company's users with their mailbox status; <see cref="Next"/> continues it (null at the end).</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.MailboxPage")]
public sealed record MailboxPage([property: Id(0)] IReadOnlyList<MailboxView> Items, [property: Id(1)] string? Next);
