using System.Security.Cryptography;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Secrets;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// Seals a mailbox's secret to the mailbox, provider, server and username (<see cref="StoredCredentials.Purpose(MailboxKey)"/>)
/// and opens it again. Secrets sealed before that binding (to the mailbox key alone) still open, and are flagged for
/// sealing again, as are secrets under a key other than the active one.
/// </summary>
internal sealed class CredentialSeal(MailboxKey key, SecretProtector secrets)
{
    public string ActiveKeyId => secrets.ActiveKeyId;

    public StoredCredentials Seal(MailboxCredentials credentials) => new(
        credentials.Provider, credentials.Email, credentials.Username, credentials.Imap,
        secrets.Protect(credentials.Secret, StoredCredentials.Purpose(key, credentials.Provider, credentials.Username, credentials.Imap)));

    /// <summary>The secret in plain, and whether it should be sealed again; throws <see cref="CryptographicException"/>.</summary>
    public (string Plain, bool Reseal) Open(StoredCredentials stored)
    {
        var reseal = !secrets.IsActive(stored.Secret);
        try
        {
            return (secrets.Unprotect(stored.Secret, stored.Purpose(key)), reseal);
        }
        catch (CryptographicException)
        {
            return (secrets.Unprotect(stored.Secret, StoredCredentials.LegacyPurpose(key)), true);
        }
    }

    /// <summary>The same credentials with their secret sealed to their purpose under the active key.</summary>
    public StoredCredentials Reseal(StoredCredentials stored, string plain) =>
        stored with { Secret = secrets.Protect(plain, stored.Purpose(key)) };
}
