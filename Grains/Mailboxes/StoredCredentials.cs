using System.Globalization;
using System.Text.Json;
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
    [property: Id(4)] EncryptedSecret Secret)
{
    /// <summary>
    /// What the secret is sealed to (its AES-GCM associated data): the mailbox, the provider, the IMAP server (host, port,
    /// security) and the username. Whoever can edit the stored state cannot point the secret at another server or
    /// account: the edited credentials no longer decrypt. A JSON array keeps the parts apart whatever they contain.
    /// </summary>
    public static string Purpose(MailboxKey key, MailboxProvider provider, string username, ImapEndpoint imap) =>
        JsonSerializer.Serialize(new[]
        {
            "mailbox-secret/v2", key.ToString(), provider.ToString(), imap.Host, imap.Port.ToString(CultureInfo.InvariantCulture),
            imap.Security.ToString(), username,
        });

    /// <summary>The purpose of these credentials' secret.</summary>
    public string Purpose(MailboxKey key) => Purpose(key, Provider, Username, Imap);
}
