namespace MailSync.Shared.Webhooks;

/// <summary>
/// A Standard Webhooks signing secret: <c>whsec_</c> followed by the base64 of 24 to 64 random bytes; the bytes are the
/// HMAC key.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int MinBytes = 24;
    public const int MaxBytes = 64;

    /// <summary>The key bytes, or null when <paramref name="value"/> is not a secret of that form.</summary>
    public static byte[]? Key(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal) ||
            value.Length > Prefix.Length + 4 * ((MaxBytes + 2) / 3)) return null;
        var buffer = new byte[MaxBytes];
        return Convert.TryFromBase64String(value[Prefix.Length..], buffer, out var written) && written >= MinBytes
            ? buffer[..written]
            : null;
    }

    public const string Rule = "must be 'whsec_' followed by the base64 of 24 to 64 random bytes.";
}
