using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Shared.Secrets;

/// <summary>
/// Encrypts secrets at rest with AES-256-GCM. The purpose (for a mailbox: the mailbox, its server and its username) is
/// authenticated data, so a ciphertext copied into another mailbox's state, or left behind a changed server, does not
/// decrypt there. New secrets use <c>Secrets:ActiveKeyId</c>; every configured key still decrypts, and a secret under
/// another key (<see cref="IsActive"/> false) is re-sealed by its owner on its next use.
/// </summary>
public sealed class SecretProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> keys;
    private readonly string activeKeyId;

    public SecretProtector(IOptions<SecretOptions> options, IHostEnvironment environment, ILogger<SecretProtector> logger)
    {
        var configured = options.Value;
        keys = configured.Keys.ToDictionary(k => k.Key, k => DecodeKey(k.Key, k.Value));
        if (keys.Count == 0)
        {
            if (!environment.IsDevelopment())
                throw new InvalidOperationException(
                    "Secrets:Keys is empty: configure at least one base64 32-byte key (Secrets:Keys:<id>) shared by every silo.");
            logger.LogWarning(
                "Secrets:Keys is not configured: using a key generated for this process only (Development). "
                + "Stored credentials will not survive a restart.");
            keys["dev-generated"] = RandomNumberGenerator.GetBytes(32);
        }
        activeKeyId = configured.ActiveKeyId ?? (keys.Count == 1 ? keys.Keys.Single()
            : throw new InvalidOperationException("Secrets:ActiveKeyId is required when Secrets:Keys lists more than one key."));
        if (!keys.ContainsKey(activeKeyId))
            throw new InvalidOperationException($"Secrets:ActiveKeyId '{activeKeyId}' is not one of the keys under Secrets:Keys.");
    }

    /// <summary>The key new secrets are sealed with.</summary>
    public string ActiveKeyId => activeKeyId;

    /// <summary>Whether the secret is sealed under the active key (else it should be re-sealed on its next use).</summary>
    public bool IsActive(EncryptedSecret secret) => secret.KeyId == activeKeyId;

    public EncryptedSecret Protect(string plaintext, string purpose)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagSize];
        using var aes = new AesGcm(keys[activeKeyId], TagSize);
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(purpose));
        return new EncryptedSecret(activeKeyId, Convert.ToBase64String([.. nonce, .. tag, .. cipher]));
    }

    public string Unprotect(EncryptedSecret secret, string purpose)
    {
        if (!keys.TryGetValue(secret.KeyId, out var key))
            throw new CryptographicException(
                $"The secret was encrypted with key '{secret.KeyId}', which is not configured under Secrets:Keys.");
        var payload = Convert.FromBase64String(secret.Payload);
        var nonce = payload.AsSpan(0, NonceSize);
        var tag = payload.AsSpan(NonceSize, TagSize);
        var cipher = payload.AsSpan(NonceSize + TagSize);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] DecodeKey(string id, string base64)
    {
        try
        {
            var key = Convert.FromBase64String(base64);
            if (key.Length == 32) return key;
        }
        catch (FormatException)
        {
        }
        throw new InvalidOperationException($"Secrets:Keys:{id} must be a base64-encoded 32-byte key.");
    }
}
