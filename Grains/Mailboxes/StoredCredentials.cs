using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Secrets;

namespace MailSync.Grains.Mailboxes;

/// <summary>Credentials as persisted: everything but the secret in the clear, the secret encrypted.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.StoredCredentials")]
public sealed record StoredCredentials(
    [property: Id(0)] MailboxProvider Provider,
    [property: Id(1)] string Email,
    [property: Id(2)] string Username,
    [property: Id(3)] ImapEndpoint Imap,
    [property: Id(4)] EncryptedSecret Secret);
