using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailSync.Shared.Secrets;

namespace MailSync.Api.Google;

/// <summary>
/// The OAuth <c>state</c>: encrypted and authenticated with the service's secret keys (AES-GCM), so it can be neither
/// read (the PKCE verifier stays secret) nor altered, and it names the company and user it was issued for.
/// </summary>
public sealed class OAuthStateCodec(SecretProtector secrets)
{
    private const string Purpose = "google-oauth-state";

    public string Encode(OAuthState state)
    {
        var sealedState = secrets.Protect(JsonSerializer.Serialize(state), Purpose);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{sealedState.KeyId}\n{sealedState.Payload}"));
    }

    /// <summary>The state, or null when it was altered, made up, or sealed with a key this service does not have.</summary>
    public OAuthState? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096) return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n', 2);
            if (parts.Length != 2) return null;
            return JsonSerializer.Deserialize<OAuthState>(secrets.Unprotect(new EncryptedSecret(parts[0], parts[1]), Purpose));
        }
        catch (Exception e) when (e is FormatException or CryptographicException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
