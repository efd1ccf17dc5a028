namespace MailSync.Shared.MicrosoftIdentity;

/// <summary>
/// What the token endpoint gave: an access token for IMAP, the next refresh token (Microsoft rotates them: the one sent is
/// used up), its lifetime, and the ID token of a sign-in. <see cref="ToString"/> prints no token.
/// </summary>
public sealed record MicrosoftTokens(string AccessToken, string? RefreshToken, TimeSpan ExpiresIn, string? IdToken, string? Scope)
{
    public override string ToString() => $"MicrosoftTokens {{ ExpiresIn = {ExpiresIn}, Scope = {Scope} }}";
}
