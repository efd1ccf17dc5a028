using System.Security.Cryptography;
using System.Text;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using MailSync.Api.Auth;
using MailSync.Api.OpenApi;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Auth;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Google;
using MailSync.Shared.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Google;

/// <summary>Sign in with Google: the consent URL (PKCE, offline access, one-time state) and the callback that connects the mailbox.</summary>
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

        var verifier = Base64UrlRandom(32);
        var (binder, binderHash) = SignInBinding.Create();
        var state = codec.Encode(new OAuthState(companyId, userId, Base64UrlRandom(16), clock.Now + StateLifetime, verifier, binderHash));
        var url = new GoogleAuthorizationCodeRequestUrl(new Uri(google.AuthorizationEndpoint))
        {
            ClientId = google.ClientId,
            RedirectUri = google.RedirectUri,
            Scope = string.Join(' ', GoogleOptions.Scopes),
            State = state,
            AccessType = "offline",
            Prompt = "consent",
            IncludeGrantedScopes = "true",
            CodeChallenge = Base64UrlSha256(verifier),
            CodeChallengeMethod = "S256",
        }.Build();
        // Set on this (same-origin fetch) response, so the browser that asked holds the binder when Google sends it back.
        http.Response.Cookies.Append(SignInBinding.CookieName(binderHash), binder, BinderCookie(http, google));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new AuthorizeResponse(url.AbsoluteUri));
    }

    private static async Task<IResult> Callback(
        string? code, string? state, string? error, HttpContext http, IOptions<GoogleOptions> google, IOptions<MailSyncOptions> mailSync,
        OAuthStateCodec codec, MailSyncClock clock, GoogleTokenClient tokens, IClusterClient cluster, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(GoogleSignInEndpoints));
        if (!google.Value.SignInConfigured) return NotConfigured();
        var json = WantsJson(http.Request);
        IResult Fail(string reason, OAuthState? decodedState) => Outcome(http, mailSync.Value, SignInResult.Failure(reason, decodedState), null, json);

        var decoded = codec.Decode(state);
        if (decoded is null || decoded.ExpiresAt <= clock.Now)
        {
            return json
                ? RequestErrors.Problem("state", "is not valid or has expired: start Sign in with Google again.")
                : Fail(SignInResult.Reasons.StateInvalid, null);
        }
        if (!await cluster.GetGrain<IOAuthStateGrain>(decoded.Nonce).TryConsume(decoded.ExpiresAt))
        {
            return json
                ? RequestErrors.Problem("state", "was already used: start Sign in with Google again.")
                : Fail(SignInResult.Reasons.StateUsed, decoded);
        }

        if (decoded.BinderHash is not { } binderHash || !SignInBinding.Matches(http.Request.Cookies[SignInBinding.CookieName(binderHash)], binderHash))
        {
            // Another browser than the one that started sign-in (a forwarded consent link): connect nothing.
            logger.LogWarning("Google sign-in of {Company}/{User} came back in a browser that did not start it; nothing connected",
                decoded.CompanyId, decoded.UserId);
            return json
                ? RequestErrors.Problem("state", "was issued to another browser: start Sign in with Google again in this browser.")
                : Fail(SignInResult.Reasons.BrowserMismatch, null);
        }
        http.Response.Cookies.Delete(SignInBinding.CookieName(binderHash), BinderCookie(http, google.Value));

        if (error is not null) return Fail(error == "access_denied" ? SignInResult.Reasons.AccessDenied : SignInResult.Reasons.GoogleRefused, decoded);
        if (string.IsNullOrEmpty(code)) return json ? RequestErrors.Problem("code", "is required.") : Fail(SignInResult.Reasons.CodeMissing, decoded);

        TokenResponse response;
        string email;
        try
        {
            response = await tokens.ExchangeCodeAsync(code, decoded.CodeVerifier, cancellationToken);
            if (response.Scope is { } granted && !granted.Split(' ').Contains(GoogleOptions.Scopes[0]))
                return Fail(SignInResult.Reasons.ScopeMissing, decoded);
            if (string.IsNullOrEmpty(response.RefreshToken))
                return Fail(SignInResult.Reasons.NoOfflineAccess, decoded);
            email = await tokens.GetEmailAsync(response.AccessToken, cancellationToken);
        }
        catch (Exception e) when (e is TokenResponseException or HttpRequestException or InvalidOperationException or TaskCanceledException
                                       or System.Text.Json.JsonException)
        {
            logger.LogWarning("Google sign-in of {Company}/{User} failed: {Error}", decoded.CompanyId, decoded.UserId,
                e is TokenResponseException t ? t.Error.Error : e.GetType().Name);
            return Fail(SignInResult.Reasons.GoogleFailed, decoded);
        }

        var view = await cluster.GetMailbox(decoded.CompanyId, decoded.UserId).Connect(
            new MailboxCredentials(MailboxProvider.Google, email, email, response.RefreshToken, google.Value.Imap));
        return Outcome(http, mailSync.Value, SignInResult.Success(view), view, json);
    }

    /// <summary>
    /// A browser goes back to the settings page (MailSync:SettingsPageUrl, else this host's own) with the result in the
    /// fragment; a client that asks for JSON only (no text/html) gets the mailbox (200) or a 400 problem naming the outcome.
    /// </summary>
    private static IResult Outcome(HttpContext http, MailSyncOptions options, SignInResult result, MailboxView? view, bool json)
    {
        if (!json) return TypedResults.Redirect(result.RedirectTarget(options.SettingsPageUrl, http.Request.PathBase));
        return view is null
            ? TypedResults.Problem(statusCode: 400, title: "Sign in with Google did not complete", detail: result.LegacyOutcome)
            : TypedResults.Ok(Mailboxes.MailboxResponse.From(view));
    }

    private static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sent only to the callback (its path from Google:RedirectUri), never readable by scripts, kept on Google's top-level redirect back.</summary>
    private static CookieOptions BinderCookie(HttpContext http, GoogleOptions google) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = Uri.TryCreate(google.RedirectUri, UriKind.Absolute, out var callback) ? callback.AbsolutePath : "/v1/oauth/google/callback",
        MaxAge = StateLifetime,
        IsEssential = true,
    };

    private static ProblemHttpResult NotConfigured() => TypedResults.Problem(statusCode: 503, title: "Sign in with Google is not configured",
        detail: "Set Google:ClientId, Google:ClientSecret and Google:RedirectUri on this service.");

    private static string Base64UrlRandom(int bytes) => Base64UrlEncode(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64UrlSha256(string text) => Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(text)));

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
