using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MailSync.Api.Google;

/// <summary>The random values an OAuth sign-in starts with: a PKCE verifier and its S256 challenge (RFC 7636), a nonce.</summary>
public static class Pkce
{
    public static string NewVerifier() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
