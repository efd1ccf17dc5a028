namespace MailSync.Api.Google;

/// <summary>
/// What travels through the provider's consent page and back: who is connecting, until when, the PKCE verifier, the hash
/// of the binder the starting browser holds in a cookie (<see cref="SignInBinding"/>), and which provider's callback may
/// take it (<c>google</c> or <c>microsoft</c>), and the mail account the user confirmed connecting although it is not
/// their registered address (<see cref="MailAccountCheck"/>).
/// </summary>
public sealed record OAuthState(
    string CompanyId, string UserId, string Nonce, DateTimeOffset ExpiresAt, string CodeVerifier, string? BinderHash = null,
    string Provider = SignInResult.GoogleKey, string? ConfirmedAccount = null);
