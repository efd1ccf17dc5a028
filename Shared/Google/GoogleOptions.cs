using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Shared.Google;

/// <summary>
/// Configuration section <c>Google</c>: the OAuth client and every Google endpoint (configurable, so tests point
/// them at servers on 127.0.0.1), and where Gmail's IMAP is.
/// </summary>
public sealed class GoogleOptions
{
    public const string Section = "Google";

    /// <summary>Full mailbox access over IMAP, plus the user's address (userinfo).</summary>
    public static readonly IReadOnlyList<string> Scopes = ["https://mail.google.com/", "openid", "email"];

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string AuthorizationEndpoint { get; set; } = "https://accounts.google.com/o/oauth2/v2/auth";

    public string TokenEndpoint { get; set; } = "https://oauth2.googleapis.com/token";

    public string UserInfoEndpoint { get; set; } = "https://openidconnect.googleapis.com/v1/userinfo";

    /// <summary>Where a disconnected mailbox's refresh token is revoked (RFC 7009 style: POST form <c>token=…</c>).</summary>
    public string RevocationEndpoint { get; set; } = "https://oauth2.googleapis.com/revoke";

    /// <summary>This service's callback, as registered with Google: https://host/v1/oauth/google/callback.</summary>
    public string? RedirectUri { get; set; }

    public string ImapHost { get; set; } = "imap.gmail.com";

    public int ImapPort { get; set; } = 993;

    public ImapSecurity ImapSecurity { get; set; } = ImapSecurity.Ssl;

    public ImapEndpoint Imap => new(ImapHost, ImapPort, ImapSecurity);

    public bool SignInConfigured =>
        !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret) && !string.IsNullOrEmpty(RedirectUri);
}
