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
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    public sealed record AuthorizeResponse(string Url);

    public static void MapGoogleSignInEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/companies/{companyId}/users/{userId}/mailbox/google/authorize", Authorize)
            .WithName("getGoogleAuthorizeUrl")
            .RequireAccess(AccessRule.SelfOrCompanyAdmin, onBehalfNeedsRegisteredUser: true)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithTags(ApiTags.Mailboxes)
            .WithSummary("The URL of Google's consent page for connecting this mailbox with Sign in with Google.");
        v1.MapGet("/oauth/google/callback", Callback)
            .WithName("completeGoogleSignIn")
            .AllowAnonymous()
            // A browser (Accept: text/html) is redirected to the settings page; a JSON client gets the mailbox or a problem.
            .Produces<Mailboxes.MailboxResponse>()
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithTags(ApiTags.GoogleCallback)
            .WithSummary("Where Google sends the browser back: exchanges the code and connects the mailbox.");
    }

    private static Results<Ok<AuthorizeResponse>, ProblemHttpResult> Authorize(
        string companyId, string userId, HttpContext http, IOptions<GoogleOptions> options, OAuthStateCodec codec, MailSyncClock clock)
    {
        var google = options.Value;
        if (!google.SignInConfigured) return NotConfigured();

        var verifier = Pkce.NewVerifier();
        var (binder, binderHash) = SignInBinding.Create();
        var state = codec.Encode(new OAuthState(companyId, userId, Pkce.NewNonce(), clock.Now + StateLifetime, verifier, binderHash));
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
        }.Build();
        // Set on this (same-origin fetch) response, so the browser that asked holds the binder when Google sends it back.
        http.Response.Cookies.Append(SignInBinding.CookieName(binderHash), binder, BinderCookie(http, google));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new AuthorizeResponse(url.AbsoluteUri));
    }

    private static async Task<IResult> Callback(
        string? code, string? state, string? error, HttpContext http, [AsParameters] SignInServices signIn, IOptions<GoogleOptions> google,
        GoogleTokenClient tokens, CancellationToken cancellationToken)
    {
        if (!google.Value.SignInConfigured) return NotConfigured();
        var json = SignInServices.WantsJson(http.Request);
        var (decoded, refusal) = await signIn.AcceptStateAsync(state, http, json, "Google", BinderCookie(http, google.Value));
        if (decoded is null) return refusal!;
        if (error is not null)
            return signIn.Fail(
                http, json, error == "access_denied" ? SignInResult.Reasons.AccessDenied : SignInResult.Reasons.GoogleRefused, decoded);
        if (string.IsNullOrEmpty(code))
            return json
                ? RequestErrors.Problem("code", "is required.")
                : signIn.Fail(http, json, SignInResult.Reasons.CodeMissing, decoded);

        var (grant, reason) = await ExchangeAsync(code, decoded, tokens, signIn.Loggers, cancellationToken);
        if (grant is null) return signIn.Fail(http, json, reason!, decoded);
        return await signIn.ConnectAsync(http, json, decoded,
            new MailboxCredentials(
                MailboxProvider.Google, grant.Value.Email, grant.Value.Email, grant.Value.RefreshToken, google.Value.Imap));
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
        SignInBinding.Cookie(http, google.RedirectUri, "/v1/oauth/google/callback");

    private static ProblemHttpResult NotConfigured() =>
        TypedResults.Problem(statusCode: 503, title: "Sign in with Google is not configured",
            detail: "Set Google:ClientId, Google:ClientSecret and Google:RedirectUri on this service.");
}
