using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using MailSync.Api.Auth;
using MailSync.Api.OpenApi;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Google;
using MailSync.Shared.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Google;

/// <summary>
/// Sign in with Google: the consent URL (PKCE, offline access,
/// one-time state) and the callback that connects the mailbox.
/// </summary>
public static class GoogleSignInEndpoints
{
    private const string Provider = "Google";

    public static void MapGoogleSignInEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/companies/{companyId}/users/{userId}/mailbox/google/authorize", Authorize)
            .WithName("getGoogleAuthorizeUrl")
            .RequireAccess(AccessRule.SelfOrCompanyAdmin, onBehalfNeedsRegisteredUser: true)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithTags(ApiTags.Mailboxes)
            .WithSummary("The URL of Google's consent page for connecting this mailbox with Sign in with Google "
                + "(?account=: the Google account the user confirmed connecting although it is not their registered address).");
        v1.MapSignInCallback(Provider, Callback, ApiTags.GoogleCallback);
    }

    private static Results<Ok<SignInEndpoints.AuthorizeResponse>, ValidationProblem, ProblemHttpResult> Authorize(
        string companyId, string userId, string? account, HttpContext http, IOptions<GoogleOptions> options, OAuthStateCodec codec,
        MailSyncClock clock)
    {
        var google = options.Value;
        var errors = new RequestErrors();
        if (!SignInEndpoints.TryConfirmedAccount(errors, account, out var confirmed)) return errors.Problem();
        if (!google.SignInConfigured) return SignInEndpoints.NotConfigured(Provider);

        var (state, verifier) = SignInEndpoints.Start(
            http, codec, clock.Now, companyId, userId, Provider, BinderCookie(http, google), confirmed);
        var url = new GoogleAuthorizationCodeRequestUrl(new Uri(google.AuthorizationEndpoint))
        {
            ClientId = google.ClientId,
            RedirectUri = google.RedirectUri,
            Scope = string.Join(' ', GoogleOptions.Scopes),
            State = state,
            AccessType = "offline",
            Prompt = "consent",
            IncludeGrantedScopes = "true",
            CodeChallenge = Pkce.Challenge(verifier),
            CodeChallengeMethod = "S256",
            LoginHint = confirmed,
        }.Build();
        return TypedResults.Ok(new SignInEndpoints.AuthorizeResponse(url.AbsoluteUri));
    }

    private static async Task<IResult> Callback(
        string? code, string? state, string? error, HttpContext http, [AsParameters] SignInServices signIn, IOptions<GoogleOptions> google,
        GoogleTokenClient tokens, CancellationToken cancellationToken)
    {
        if (!google.Value.SignInConfigured) return SignInEndpoints.NotConfigured(Provider);
        var refused = error switch
        {
            null => null,
            "access_denied" => SignInResult.Reasons.AccessDenied,
            _ => SignInResult.Reasons.GoogleRefused,
        };
        return await signIn.CompleteAsync(http, state, code, refused, Provider, BinderCookie(http, google.Value),
            (granted, decoded) => ExchangeAsync(granted, decoded, tokens, signIn.Loggers, cancellationToken),
            MailboxProvider.Google, google.Value.Imap);
    }

    /// <summary>
    /// Exchanges the code for tokens (with the state's PKCE verifier) and reads the account's address; null and the reason
    /// when Google did not grant what a mailbox needs (Gmail's scope, offline access) or failed.
    /// </summary>
    private static async Task<((string Email, string RefreshToken)? Grant, string? Reason)> ExchangeAsync(
        string code, OAuthState state, GoogleTokenClient tokens, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var response = await tokens.ExchangeCodeAsync(code, state.CodeVerifier, cancellationToken);
            if (response.Scope is { } granted && !granted.Split(' ').Contains(GoogleOptions.Scopes[0]))
                return (null, SignInResult.Reasons.ScopeMissing);
            if (string.IsNullOrEmpty(response.RefreshToken)) return (null, SignInResult.Reasons.NoOfflineAccess);
            return ((await tokens.GetEmailAsync(response.AccessToken, cancellationToken), response.RefreshToken), null);
        }
        catch (Exception e) when (e is TokenResponseException or HttpRequestException or InvalidOperationException or TaskCanceledException
                                       or System.Text.Json.JsonException)
        {
            loggers.CreateLogger(typeof(GoogleSignInEndpoints)).LogWarning("Google sign-in of {Company}/{User} failed: {Error}",
                state.CompanyId, state.UserId, e is TokenResponseException t ? t.Error.Error : e.GetType().Name);
            return (null, SignInResult.Reasons.GoogleFailed);
        }
    }

    private static CookieOptions BinderCookie(HttpContext http, GoogleOptions google) =>
        SignInBinding.Cookie(http, google.RedirectUri, SignInEndpoints.CallbackPath(Provider));
}
