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
public static partial class MicrosoftSignInEndpoints
{
    private const string Provider = "Microsoft";

    public static void MapMicrosoftSignInEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/companies/{companyId}/users/{userId}/mailbox/microsoft/authorize", Authorize)
            .WithName("getMicrosoftAuthorizeUrl")
            .RequireAccess(AccessRule.SelfOrCompanyAdmin, onBehalfNeedsRegisteredUser: true)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithTags(ApiTags.Mailboxes)
            .WithSummary("The URL of Microsoft's sign-in page for connecting this mailbox with Sign in with Microsoft "
                + "(?account=: the Microsoft account the user confirmed connecting although it is not their registered address).");
        v1.MapSignInCallback(Provider, Callback, ApiTags.MicrosoftCallback);
    }

    private static Results<Ok<SignInEndpoints.AuthorizeResponse>, ValidationProblem, ProblemHttpResult> Authorize(
        string companyId, string userId, string? account, HttpContext http, IOptions<MicrosoftOptions> options, OAuthStateCodec codec,
        MailSyncClock clock)
    {
        var microsoft = options.Value;
        var errors = new RequestErrors();
        if (!SignInEndpoints.TryConfirmedAccount(errors, account, out var confirmed)) return errors.Problem();
        if (!microsoft.SignInConfigured) return SignInEndpoints.NotConfigured(Provider);

        var (state, verifier) = SignInEndpoints.Start(
            http, codec, clock.Now, companyId, userId, Provider, BinderCookie(http, microsoft), confirmed);
        var url = QueryHelpers.AddQueryString(microsoft.AuthorizationUrl, new Dictionary<string, string?>
        {
            ["client_id"] = microsoft.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = microsoft.RedirectUri,
            ["response_mode"] = "query",
            ["scope"] = MicrosoftOptions.Scope,
            ["state"] = state,
            ["code_challenge"] = Pkce.Challenge(verifier),
            ["code_challenge_method"] = "S256",
            // The user picks the account to connect, even when the browser is signed in to another one.
            ["prompt"] = "select_account",
            ["login_hint"] = confirmed,
        });
        return TypedResults.Ok(new SignInEndpoints.AuthorizeResponse(url));
    }

    private static async Task<IResult> Callback(
        string? code, string? state, string? error, string? error_description, HttpContext http, [AsParameters] SignInServices signIn,
        IOptions<MicrosoftOptions> microsoft, MicrosoftTokenClient tokens, CancellationToken cancellationToken)
    {
        if (!microsoft.Value.SignInConfigured) return SignInEndpoints.NotConfigured(Provider);
        var refused = error is null ? null : RefusalReason(error, error_description);
        return await signIn.CompleteAsync(http, state, code, refused, Provider, BinderCookie(http, microsoft.Value),
            (granted, decoded) => ExchangeAsync(granted, decoded, tokens, signIn.Loggers, cancellationToken),
            MailboxProvider.Microsoft, microsoft.Value.Imap);
    }

    /// <summary>Why Microsoft sent the browser back without a code: the user cancelled, an administrator must approve, or else.</summary>
    private static string RefusalReason(string error, string? description)
    {
        var codes = description is null ? [] : AadstsCodes(description);
        if (MicrosoftTokenException.IsConsent(error, codes)) return SignInResult.Reasons.AdminConsentRequired;
        return error == "access_denied" ? SignInResult.Reasons.AccessDenied : SignInResult.Reasons.MicrosoftRefused;
    }

    private static int[] AadstsCodes(string description) =>
        [.. AadstsCode().Matches(description)
            .Select(m => int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture))];

    [System.Text.RegularExpressions.GeneratedRegex(@"AADSTS(\d{4,6})")]
    private static partial System.Text.RegularExpressions.Regex AadstsCode();

    /// <summary>
    /// Exchanges the code for tokens (with the state's PKCE verifier) and reads the account's address: from the ID token the
    /// token endpoint returned over TLS (the access token is for Outlook, not for Microsoft Graph's userinfo), else from the
    /// userinfo endpoint. Null and the reason when Microsoft did not grant what a mailbox needs, or failed.
    /// </summary>
    private static async Task<((string Email, string RefreshToken)? Grant, string? Reason)> ExchangeAsync(
        string code, OAuthState state, MicrosoftTokenClient tokens, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var response = await tokens.ExchangeCodeAsync(code, state.CodeVerifier, cancellationToken);
            if (response.Scope is { } granted && !granted.Contains(MicrosoftOptions.ImapScope, StringComparison.OrdinalIgnoreCase))
                return (null, SignInResult.Reasons.ScopeMissing);
            if (string.IsNullOrEmpty(response.RefreshToken)) return (null, SignInResult.Reasons.NoOfflineAccess);
            var email = AccountOf(response.IdToken) ?? await tokens.GetEmailAsync(response.AccessToken, cancellationToken);
            if (email is null || !RequestErrors.IsEmail(email)) return (null, SignInResult.Reasons.AccountUnknown);
            return ((email, response.RefreshToken), null);
        }
        catch (MicrosoftTokenException e)
        {
            Logger(loggers).LogWarning("Microsoft sign-in of {Company}/{User} refused: {Error} {Codes}",
                state.CompanyId, state.UserId, e.Error, string.Join(",", e.Codes));
            return (null, e.AdminConsentRequired ? SignInResult.Reasons.AdminConsentRequired : SignInResult.Reasons.MicrosoftFailed);
        }
        catch (Exception e) when (e is OAuthServerUnavailableException or HttpRequestException or TaskCanceledException
                                       or System.Text.Json.JsonException or ArgumentException)
        {
            Logger(loggers).LogWarning("Microsoft sign-in of {Company}/{User} failed: {Error}",
                state.CompanyId, state.UserId, e.GetType().Name);
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

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(MicrosoftSignInEndpoints));

    private static CookieOptions BinderCookie(HttpContext http, MicrosoftOptions microsoft) =>
        SignInBinding.Cookie(http, microsoft.RedirectUri, SignInEndpoints.CallbackPath(Provider));
}
