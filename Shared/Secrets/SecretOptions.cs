namespace MailSync.Shared.Secrets;

/// <summary>
/// Configuration section <c>Secrets</c>: AES-256 keys shared by every silo. <c>Secrets:Keys:{id}</c> is a base64
/// 32-byte key; <c>Secrets:ActiveKeyId</c> names the one new secrets are encrypted with (optional with one key).
/// Older keys stay listed so secrets they encrypted can still be read after a rotation.
/// </summary>
public sealed class SecretOptions
{
    public const string Section = "Secrets";

    public Dictionary<string, string> Keys { get; set; } = [];

    public string? ActiveKeyId { get; set; }
}
