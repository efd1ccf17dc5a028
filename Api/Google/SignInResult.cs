using System.Text;
using MailSync.Api.Mailboxes;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Api.Google;

/// <summary>
/// How Sign in with Google or Microsoft ended, as the settings page reads it when the browser comes back: in the URL
/// fragment (<c>#google=connected&amp;status=Enabled</c>, <c>#microsoft=error&amp;reason=access_denied</c>, plus the company
/// and user), which never reaches a server log. Nothing in it is a secret.
/// </summary>
public sealed record SignInResult(string? Reason, MailboxStatus? Status, string? CompanyId, string? UserId)
{
    public const string GoogleKey = ProviderNames.Google;
    public const string MicrosoftKey = ProviderNames.Microsoft;

    /// <summary>Which sign-in this is the result of; the fragment's first key (<c>#google=…</c> or <c>#microsoft=…</c>).</summary>
    public string Provider { get; init; } = GoogleKey;

    /// <summary>The mail account signed in with, when it was not the registered address (<see cref="Expected"/>).</summary>
    public string? Account { get; init; }

    /// <summary>The CRM user's registered address, when the account signed in with was another.</summary>
    public string? Expected { get; init; }

    /// <summary>The provider as the user knows it: "Google" or "Microsoft".</summary>
    public string ProviderName => Provider == MicrosoftKey ? "Microsoft" : "Google";

    /// <summary>The settings page this host serves.</summary>
    public const string OwnSettingsPage = "/settings/mail-sync";

    /// <summary>The reasons a sign-in did not connect anything.</summary>
    public static class Reasons
    {
        public const string AccessDenied = "access_denied";
        public const string GoogleRefused = "google_refused";
        public const string ScopeMissing = "scope_missing";
        public const string NoOfflineAccess = "no_offline_access";
        public const string GoogleFailed = "google_failed";
        public const string StateInvalid = "state_invalid";
        public const string StateUsed = "state_used";
        public const string BrowserMismatch = "browser_mismatch";
        public const string CodeMissing = "code_missing";
        public const string MicrosoftRefused = "microsoft_refused";
        public const string MicrosoftFailed = "microsoft_failed";
        public const string AdminConsentRequired = "admin_consent_required";
        /// <summary>The account signed in with is not the user's registered address: connected once the user confirms it.</summary>
        public const string AccountMismatch = "account_mismatch";
        /// <summary>The account is not the user's registered address and the company allows registered addresses only.</summary>
        public const string AccountNotAllowed = "account_not_allowed";
        public const string AccountUnknown = "account_unknown";
    }

    public bool Connected => Reason is null;

    public static SignInResult Success(MailboxView view, string provider = GoogleKey) =>
        new(null, view.Status, view.CompanyId, view.UserId) { Provider = provider };

    public static SignInResult Failure(string reason, OAuthState? state, string provider = GoogleKey) =>
        new(reason, null, state?.CompanyId, state?.UserId) { Provider = provider };

    /// <summary>Where the browser goes: the configured page (its query kept, its fragment replaced) or this host's own page.</summary>
    public string RedirectTarget(string? configuredPage, string pathBase) =>
        (configuredPage is { Length: > 0 } configured ? StripFragment(configured) : pathBase + OwnSettingsPage) + "#" + Fragment();

    private string Fragment()
    {
        var parts = new List<(string, string?)> { (Provider, Connected ? "connected" : "error") };
        parts.Add(Connected ? ("status", Status?.ToString()) : ("reason", Reason));
        parts.Add(("account", Account));
        parts.Add(("expected", Expected));
        parts.Add(("companyId", CompanyId));
        parts.Add(("userId", UserId));
        var fragment = new StringBuilder();
        foreach (var (name, value) in parts.Where(p => p.Item2 is not null))
        {
            if (fragment.Length > 0) fragment.Append('&');
            fragment.Append(name).Append('=').Append(Uri.EscapeDataString(value!));
        }
        return fragment.ToString();
    }

    private static string StripFragment(string url) => url.IndexOf('#') is var at and >= 0 ? url[..at] : url;
}
