using System.Security.Cryptography;
using System.Text;

namespace MailSync.Shared.Webhooks;

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the timestamp in
/// seconds since the Unix epoch. The receiver recomputes it from the three headers and the raw body.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(byte[] key, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    /// <summary>Whether any of the space-separated signatures of <paramref name="header"/> is ours (compared in constant time).</summary>
    public static bool Verify(byte[] key, string id, long timestamp, string body, string header)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(key, id, timestamp, body));
        return header.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }
}
