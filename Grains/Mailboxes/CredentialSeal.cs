using System.Security.Cryptography;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Secrets;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// Seals a mailbox's secret to the mailbox, provider, server and username (<see cref="StoredCredentials.Purpose(MailboxKey)"/>)
/// and opens it again; secrets under a key other than the active one are flagged for sealing again. Nothing sealed to
/// any other purpose opens: the mailbox then asks to be reconnected.
/// </summary>
internal sealed class CredentialSeal(MailboxKey key, SecretProtector secrets)
{
    public string ActiveKeyId => secrets.ActiveKeyId;

    public StoredCredentials Seal(MailboxCredentials credentials) => new(
        credentials.Provider, credentials.Email, credentials.Username, credentials.Imap,
        secrets.Protect(credentials.Secret, StoredCredentials.Purpose(key, credentials.Provider, credentials.Username, credentials.Imap)));

    /// <summary>The secret in plain, and whether it should be sealed again; throws <see cref="CryptographicException"/>.</summary>
    public (string Plain, bool Reseal) Open(StoredCredentials stored) =>
        (secrets.Unprotect(stored.Secret, stored.Purpose(key)), !secrets.IsActive(stored.Secret));

    /// <summary>The same credentials with their secret sealed to their purpose under the active key.</summary>
    public StoredCredentials Reseal(StoredCredentials stored, string plain) =>
        stored with { Secret = secrets.Protect(plain, stored.Purpose(key)) };
}
