using System.Net;
using MailSync.Shared.Network;

namespace MailSync.Shared.Webhooks;

/// <summary>
/// Whether a receiver URL is acceptable: absolute https (http only where allowed), no user info or fragment, at most
/// <see cref="MaxLength"/> characters, and not a private or loopback address unless private hosts are allowed (the rule of
/// IMAP hosts, <c>MailSync:AllowPrivateImapHosts</c>). Names are resolved and checked again when a delivery connects.
/// </summary>
public static class WebhookUrl
{
    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="value"/> is refused, or null when it is fine.</summary>
    public static string? Refusal(string? value, bool allowHttp, bool allowPrivateHosts)
    {
        if (string.IsNullOrWhiteSpace(value)) return "is required.";
        if (value.Length > MaxLength) return $"must be at most {MaxLength} characters.";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || value.Any(char.IsControl) || value.Any(char.IsWhiteSpace))
            return "must be an absolute URL such as https://crm.example.com/hooks/mail-sync.";
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp)) return "must use https.";
        if (uri.UserInfo.Length > 0) return "must not carry a user name or password.";
        if (uri.Fragment.Length > 0) return "must not have a fragment.";
        if (!allowPrivateHosts && IsPrivate(uri)) return "must not point to a private network, loopback or link-local address.";
        return null;
    }

    private static bool IsPrivate(Uri uri) =>
        uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && !PublicAddress.Is(ip));
}
