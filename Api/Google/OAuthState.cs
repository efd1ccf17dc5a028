namespace MailSync.Api.Google;

/// <summary>
/// What travels through Google and back: who is connecting, until when, the PKCE verifier, and the hash of the
/// binder the starting browser holds in a cookie (<see cref="SignInBinding"/>).
/// </summary>
public sealed record OAuthState(
    string CompanyId, string UserId, string Nonce, DateTimeOffset ExpiresAt, string CodeVerifier, string? BinderHash = null);
