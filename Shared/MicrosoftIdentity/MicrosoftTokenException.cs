namespace MailSync.Shared.MicrosoftIdentity;

/// <summary>
/// The identity platform refused a token request with a verdict: <see cref="Error"/> (invalid_grant, consent_required, …)
/// and its AADSTS numbers (<see cref="Codes"/>). The message is Microsoft's own first sentence (it names no secret), plus,
/// when an administrator must approve the app, the link where they do. Outages are
/// <see cref="Google.OAuthServerUnavailableException"/> instead.
/// </summary>
public sealed class MicrosoftTokenException(string error, IReadOnlyList<int> codes, string? description, string? adminConsentUrl = null)
    : Exception(Describe(error, codes, description, adminConsentUrl))
{
    public string Error { get; } = error;

    public IReadOnlyList<int> Codes { get; } = codes;

    /// <summary>An administrator must approve the app first (AADSTS65001, 90094, 90095, or consent_required).</summary>
    public bool AdminConsentRequired => IsConsent(Error, Codes);

    /// <summary>The grant is gone (expired, revoked, password changed, MFA now required): the user must sign in again.</summary>
    public bool GrantGone => !AdminConsentRequired && Error is "invalid_grant" or "interaction_required";

    public static bool IsConsent(string error, IReadOnlyList<int> codes) =>
        error == "consent_required" || codes.Any(c => c is 65001 or 90094 or 90095);

    private static string Describe(string error, IReadOnlyList<int> codes, string? description, string? adminConsentUrl)
    {
        // Microsoft's descriptions end with trace and correlation ids and a timestamp: kept for support, cut to one line.
        var said = description?.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim();
        var text = said is { Length: > 0 }
            ? $"Microsoft answered: {said}"
            : $"Microsoft answered {error}{(codes.Count > 0 ? $" (AADSTS{string.Join(", AADSTS", codes)})" : "")}.";
        return adminConsentUrl is null || !IsConsent(error, codes) ? text : $"{text} Admin consent link: {adminConsentUrl}";
    }
}
