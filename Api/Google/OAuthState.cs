namespace MailSync.Api.Google;

/// <summary>What travels through Google and back: who is connecting, until when, and the PKCE verifier.</summary>
public sealed record OAuthState(string CompanyId, string UserId, string Nonce, DateTimeOffset ExpiresAt, string CodeVerifier);
