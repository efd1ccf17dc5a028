using System.Security.Cryptography;
using System.Text;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using MailSync.Api.Auth;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Auth;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Google;
using MailSync.Shared.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
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
            .RequireAccess(AccessRule.SelfOrCompanyAdmin, onBehalfNeedsRegisteredUser: true)
            .WithTags("Mailboxes")
            .WithSummary("The URL of Google's consent page for connecting this mailbox with Sign in with Google.");
        v1.MapGet("/oauth/google/callback", Callback)
            .AllowAnonymous()
            .WithTags("Mailboxes")
            .WithSummary("Where Google sends the browser back: exchanges the code and connects the mailbox.");
    }

    private static Results<Ok<AuthorizeResponse>, ProblemHttpResult> Authorize(
        string companyId, string userId, IOptions<GoogleOptions> options, OAuthStateCodec codec, MailSyncClock clock)
    {
        var google = options.Value;
        if (!google.SignInConfigured) return NotConfigured();

        var verifier = Base64UrlRandom(32);
        var state = codec.Encode(new OAuthState(companyId, userId, Base64UrlRandom(16), clock.Now + StateLifetime, verifier));
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
        return TypedResults.Ok(new AuthorizeResponse(url.AbsoluteUri));
    }

    private static async Task<IResult> Callback(
        string? code, string? state, string? error, IOptions<GoogleOptions> google, IOptions<MailSyncOptions> mailSync,
        OAuthStateCodec codec, MailSyncClock clock, GoogleTokenClient tokens, IClusterClient cluster, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(GoogleSignInEndpoints));
        if (!google.Value.SignInConfigured) return NotConfigured();
        var decoded = codec.Decode(state);
        if (decoded is null || decoded.ExpiresAt <= clock.Now)
            return RequestErrors.Problem("state", "is not valid or has expired: start Sign in with Google again.");
        if (!await cluster.GetGrain<IOAuthStateGrain>(decoded.Nonce).TryConsume(decoded.ExpiresAt))
            return RequestErrors.Problem("state", "was already used: start Sign in with Google again.");

        if (error is not null) return Outcome(mailSync.Value, decoded, "google-denied", null);
        if (string.IsNullOrEmpty(code)) return RequestErrors.Problem("code", "is required.");

        TokenResponse response;
        string email;
        try
        {
            response = await tokens.ExchangeCodeAsync(code, decoded.CodeVerifier, cancellationToken);
            if (response.Scope is { } granted && !granted.Split(' ').Contains(GoogleOptions.Scopes[0]))
                return Outcome(mailSync.Value, decoded, "google-scope-missing", null);
            if (string.IsNullOrEmpty(response.RefreshToken))
                return Outcome(mailSync.Value, decoded, "google-no-offline-access", null);
            email = await tokens.GetEmailAsync(response.AccessToken, cancellationToken);
        }
        catch (Exception e) when (e is TokenResponseException or HttpRequestException or InvalidOperationException or TaskCanceledException
                                       or System.Text.Json.JsonException)
        {
            logger.LogWarning("Google sign-in of {Company}/{User} failed: {Error}", decoded.CompanyId, decoded.UserId,
                e is TokenResponseException t ? t.Error.Error : e.GetType().Name);
            return Outcome(mailSync.Value, decoded, "google-failed", null);
        }

        var view = await cluster.GetMailbox(decoded.CompanyId, decoded.UserId).Connect(
            new MailboxCredentials(MailboxProvider.Google, email, email, response.RefreshToken, google.Value.Imap));
        return Outcome(mailSync.Value, decoded, view.Status == MailboxStatus.Pending ? "pending" : "connected", view);
    }

    /// <summary>Back to the CRM's settings page with the outcome; without one configured, the outcome as JSON.</summary>
    private static IResult Outcome(MailSyncOptions options, OAuthState state, string outcome, MailboxView? view)
    {
        if (options.SettingsPageUrl is { Length: > 0 } page)
        {
            return TypedResults.Redirect(QueryHelpers.AddQueryString(page, new Dictionary<string, string?>
            {
                ["mailSync"] = outcome, ["companyId"] = state.CompanyId, ["userId"] = state.UserId,
            }));
        }
        return view is null
            ? TypedResults.Problem(statusCode: 400, title: "Sign in with Google did not complete", detail: outcome)
            : TypedResults.Ok(Mailboxes.MailboxResponse.From(view));
    }

    private static ProblemHttpResult NotConfigured() => TypedResults.Problem(statusCode: 503, title: "Sign in with Google is not configured",
        detail: "Set Google:ClientId, Google:ClientSecret and Google:RedirectUri on this service.");

    private static string Base64UrlRandom(int bytes) => Base64UrlEncode(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64UrlSha256(string text) => Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(text)));

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
