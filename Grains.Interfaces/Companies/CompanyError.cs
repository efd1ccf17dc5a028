using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Interfaces.Companies;

/// <summary>An entry of the company error log: whose mailbox, and the entry itself.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.CompanyError")]
public sealed record CompanyError([property: Id(0)] string UserId, [property: Id(1)] MailboxError Error);
