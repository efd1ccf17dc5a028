using MailSync.Api.Auth;
using MailSync.Api.Google;
using MailSync.Api.OpenApi;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Google;
using MailSync.Shared.MicrosoftIdentity;
using MailSync.Shared.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MailSync.Api.MicrosoftSignIn;

/// <summary>
/// Sign in with Microsoft (Microsoft 365, Outlook.com): the consent URL of the identity platform v2.0 (authorization code
/// with PKCE S256, a sealed single-use state bound to the browser, as Google's) and the callback that connects the mailbox.
/// </summary>
public static class MicrosoftSignInEndpoints
{
    public static void MapMicrosoftSignInEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/companies/{companyId}/users/{userId}/mailbox/microsoft/authorize", Authorize)
            .WithName("getMicrosoftAuthorizeUrl")
            .RequireAccess(AccessRule.SelfOrCompanyAdmin, onBehalfNeedsRegisteredUser: true)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithTags(ApiTags.Mailboxes)
            .WithSummary("The URL of Microsoft's sign-in page for connecting this mailbox with Sign in with Microsoft.");
        v1.MapGet("/oauth/microsoft/callback", Callback)
            .WithName("completeMicrosoftSignIn")
            .AllowAnonymous()
            // A browser (Accept: text/html) is redirected to the settings page; a JSON client gets the mailbox or a problem.
            .Produces<Mailboxes.MailboxResponse>()
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithTags(ApiTags.MicrosoftCallback)
            .WithSummary("Where Microsoft sends the browser back: exchanges the code and connects the mailbox.");
    }

    private static Results<Ok<GoogleSignInEndpoints.AuthorizeResponse>, ProblemHttpResult> Authorize(
        string companyId, string userId, HttpContext http, IOptions<MicrosoftOptions> options, OAuthStateCodec codec, MailSyncClock clock)
    {
        var microsoft = options.Value;
        if (!microsoft.SignInConfigured) return NotConfigured();

        var verifier = Pkce.NewVerifier();
        var (binder, binderHash) = SignInBinding.Create();
        var state = codec.Encode(new OAuthState(companyId, userId, Pkce.NewNonce(),
            clock.Now + GoogleSignInEndpoints.StateLifetime, verifier, binderHash, SignInResult.MicrosoftKey));
        var url = QueryHelpers.AddQueryString(microsoft.AuthorizationUrl, new Dictionary<string, string?>
        {
            ["client_id"] = microsoft.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = microsoft.RedirectUri,
            ["response_mode"] = "query",
            ["scope"] = string.Join(' ', MicrosoftOptions.Scopes),
            ["state"] = state,
            ["code_challenge"] = Pkce.Challenge(verifier),
            ["code_challenge_method"] = "S256",
            // The user picks the account to connect, even when the browser is signed in to another one.
            ["prompt"] = "select_account",
        });
        http.Response.Cookies.Append(SignInBinding.CookieName(binderHash), binder, BinderCookie(http, microsoft));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new GoogleSignInEndpoints.AuthorizeResponse(url));
    }

    private static async Task<IResult> Callback(
        string? code, string? state, string? error, string? error_description, HttpContext http, [AsParameters] SignInServices signIn,
        IOptions<MicrosoftOptions> microsoft, MicrosoftTokenClient tokens, CancellationToken cancellationToken)
    {
        if (!microsoft.Value.SignInConfigured) return NotConfigured();
        var json = SignInServices.WantsJson(http.Request);
        var (decoded, refusal) = await signIn.AcceptStateAsync(state, http, json, "Microsoft", BinderCookie(http, microsoft.Value));
        if (decoded is null) return refusal!;
        if (error is not null) return signIn.Fail(http, json, RefusalReason(error, error_description), decoded);
        if (string.IsNullOrEmpty(code))
            return json
                ? RequestErrors.Problem("code", "is required.")
                : signIn.Fail(http, json, SignInResult.Reasons.CodeMissing, decoded);

        var (grant, reason) = await ExchangeAsync(code, decoded, tokens, signIn.Loggers, cancellationToken);
        if (grant is null) return signIn.Fail(http, json, reason!, decoded);
        return await signIn.ConnectAsync(http, json, decoded,
            new MailboxCredentials(
                MailboxProvider.Microsoft, grant.Value.Email, grant.Value.Email, grant.Value.RefreshToken, microsoft.Value.Imap));
    }

    /// <summary>Why Microsoft sent the browser back without a code: the user cancelled, an administrator must approve, or else.</summary>
    private static string RefusalReason(string error, string? description)
    {
        var codes = description is null ? [] : AadstsCodes(description);
        if (MicrosoftTokenException.IsConsent(error, codes)) return SignInResult.Reasons.AdminConsentRequired;
        return error == "access_denied" ? SignInResult.Reasons.AccessDenied : SignInResult.Reasons.MicrosoftRefused;
    }

    private static int[] AadstsCodes(string description) =>
        [.. System.Text.RegularExpressions.Regex.Matches(description, @"AADSTS(\d{4,6})")
            .Select(m => int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>
    /// Exchanges the code for tokens (with the state's PKCE verifier) and reads the account's address: from the ID token the
    /// token endpoint returned over TLS (the access token is for Outlook, not for Microsoft Graph's userinfo), else from the
    /// userinfo endpoint. Null and the reason when Microsoft did not grant what a mailbox needs, or failed.
    /// </summary>
    private static async Task<((string Email, string RefreshToken)? Grant, string? Reason)> ExchangeAsync(
        string code, OAuthState state, MicrosoftTokenClient tokens, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(MicrosoftSignInEndpoints));
        try
        {
            var response = await tokens.ExchangeCodeAsync(code, state.CodeVerifier, cancellationToken);
            if (response.Scope is { } granted && !granted.Contains("IMAP.AccessAsUser.All", StringComparison.OrdinalIgnoreCase))
                return (null, SignInResult.Reasons.ScopeMissing);
            if (string.IsNullOrEmpty(response.RefreshToken)) return (null, SignInResult.Reasons.NoOfflineAccess);
            var email = AccountOf(response.IdToken) ?? await tokens.GetEmailAsync(response.AccessToken, cancellationToken);
            if (email is null || !RequestErrors.IsEmail(email)) return (null, SignInResult.Reasons.AccountUnknown);
            return ((email, response.RefreshToken), null);
        }
        catch (MicrosoftTokenException e)
        {
            logger.LogWarning("Microsoft sign-in of {Company}/{User} refused: {Error} {Codes}", state.CompanyId, state.UserId, e.Error,
                string.Join(",", e.Codes));
            return (null, e.AdminConsentRequired ? SignInResult.Reasons.AdminConsentRequired : SignInResult.Reasons.MicrosoftFailed);
        }
        catch (Exception e) when (e is OAuthServerUnavailableException or HttpRequestException or TaskCanceledException
                                       or System.Text.Json.JsonException or ArgumentException)
        {
            logger.LogWarning("Microsoft sign-in of {Company}/{User} failed: {Error}", state.CompanyId, state.UserId, e.GetType().Name);
            return (null, SignInResult.Reasons.MicrosoftFailed);
        }
    }

    /// <summary>The signed-in address from the ID token's claims: <c>email</c>, else <c>preferred_username</c> (the UPN).</summary>
    private static string? AccountOf(string? idToken)
    {
        if (string.IsNullOrEmpty(idToken)) return null;
        var token = new JsonWebToken(idToken);
        if (token.TryGetPayloadValue<string>("email", out var email) && email is { Length: > 0 }) return email;
        return token.TryGetPayloadValue<string>("preferred_username", out var upn) && upn is { Length: > 0 } ? upn : null;
    }

    private static CookieOptions BinderCookie(HttpContext http, MicrosoftOptions microsoft) =>
        SignInBinding.Cookie(http, microsoft.RedirectUri, "/v1/oauth/microsoft/callback");

    private static ProblemHttpResult NotConfigured() =>
        TypedResults.Problem(statusCode: 503, title: "Sign in with Microsoft is not configured",
            detail: "Set Microsoft:ClientId, Microsoft:ClientSecret and Microsoft:RedirectUri on this service.");
}
