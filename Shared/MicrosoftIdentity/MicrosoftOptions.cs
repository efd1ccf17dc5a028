using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Shared.MicrosoftIdentity;

/// <summary>
/// Configuration section <c>Microsoft</c>: the app registered in Microsoft Entra, the tenant it signs in from, every
/// endpoint of the Microsoft identity platform v2.0 (configurable, so tests point them at servers on 127.0.0.1), and where
/// Exchange Online's IMAP is.
/// </summary>
public sealed class MicrosoftOptions
{
    public const string Section = "Microsoft";

    /// <summary>Outlook's IMAP permission, as the token endpoint names it among the scopes it granted.</summary>
    public const string ImapScope = "IMAP.AccessAsUser.All";

    /// <summary>IMAP for the signed-in user, a refresh token, and who they are.</summary>
    public static readonly IReadOnlyList<string> Scopes =
        [$"https://outlook.office.com/{ImapScope}", "offline_access", "openid", "email"];

    /// <summary>The scopes as a request names them, space-separated.</summary>
    public static readonly string Scope = string.Join(' ', Scopes);

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// Who may sign in: <c>common</c> (work or school, and personal Microsoft accounts), <c>organizations</c> (work or
    /// school only), <c>consumers</c>, or one tenant's id or domain.
    /// </summary>
    public string Tenant { get; set; } = "common";

    /// <summary>The identity platform's host; the endpoints below default to it and <see cref="Tenant"/>.</summary>
    public string Authority { get; set; } = "https://login.microsoftonline.com";

    public string? AuthorizationEndpoint { get; set; }

    public string? TokenEndpoint { get; set; }

    /// <summary>Where an administrator grants the app to the whole organisation (the fix of OAuthAdminConsentRequired).</summary>
    public string? AdminConsentEndpoint { get; set; }

    /// <summary>The identity platform's OIDC userinfo; used only when a token response carries no ID token.</summary>
    public string UserInfoEndpoint { get; set; } = "https://graph.microsoft.com/oidc/userinfo";

    /// <summary>This service's callback, as registered in Entra: https://host/v1/oauth/microsoft/callback.</summary>
    public string? RedirectUri { get; set; }

    public string ImapHost { get; set; } = "outlook.office365.com";

    public int ImapPort { get; set; } = 993;

    public ImapSecurity ImapSecurity { get; set; } = ImapSecurity.Ssl;

    public ImapEndpoint Imap => new(ImapHost, ImapPort, ImapSecurity);

    public string AuthorizationUrl => AuthorizationEndpoint ?? $"{Authority.TrimEnd('/')}/{Tenant}/oauth2/v2.0/authorize";

    public string TokenUrl => TokenEndpoint ?? $"{Authority.TrimEnd('/')}/{Tenant}/oauth2/v2.0/token";

    /// <summary>The link an administrator opens to approve this app for their organisation.</summary>
    public string AdminConsentUrl
    {
        get
        {
            // A personal-account tenant has no administrator: the link goes to the organisations' endpoint.
            var tenant = Tenant is "common" or "consumers" ? "organizations" : Tenant;
            var endpoint = AdminConsentEndpoint ?? $"{Authority.TrimEnd('/')}/{tenant}/v2.0/adminconsent";
            return $"{endpoint}?client_id={Uri.EscapeDataString(ClientId ?? "")}&scope={Uri.EscapeDataString(Scopes[0])}";
        }
    }

    public bool SignInConfigured =>
        !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret) && !string.IsNullOrEmpty(RedirectUri);
}
