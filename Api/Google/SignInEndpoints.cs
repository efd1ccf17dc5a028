using MailSync.Api.Mailboxes;
using MailSync.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSync.Api.Google;

/// <summary>
/// What the sign-in endpoints of every provider (Google, Microsoft) share: the state's lifetime, the authorize answer, the
/// start of a sign-in, the callback's route and the answer while the provider is not configured.
/// </summary>
public static class SignInEndpoints
{
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    public sealed record AuthorizeResponse(string Url);

    /// <summary>This host's callback path of <paramref name="provider"/> ("Google": <c>/v1/oauth/google/callback</c>).</summary>
    public static string CallbackPath(string provider) => $"/v1/oauth/{provider.ToLowerInvariant()}/callback";

    /// <summary>
    /// Starts a sign-in for the mailbox: the sealed single-use state (bound to this browser, carrying the mail account the
    /// user confirmed, if any) and its PKCE verifier. The binder's cookie is set on this (same-origin fetch) response, so
    /// the browser that asked holds it when the provider sends it back.
    /// </summary>
    public static (string State, string Verifier) Start(HttpContext http, OAuthStateCodec codec, DateTimeOffset now,
        string companyId, string userId, string provider, CookieOptions binderCookie, string? confirmedAccount)
    {
        var verifier = Pkce.NewVerifier();
        var (binder, binderHash) = SignInBinding.Create();
        var state = codec.Encode(new OAuthState(companyId, userId, Pkce.NewNonce(), now + StateLifetime, verifier, binderHash,
            provider.ToLowerInvariant(), confirmedAccount));
        http.Response.Cookies.Append(SignInBinding.CookieName(binderHash), binder, binderCookie);
        http.Response.Headers.CacheControl = "no-store";
        return (state, verifier);
    }

    /// <summary>Maps <paramref name="provider"/>'s callback: a browser is redirected to the page, a JSON client gets the mailbox.</summary>
    public static void MapSignInCallback(this RouteGroupBuilder v1, string provider, Delegate handler, string tag) =>
        v1.MapGet(CallbackPath(provider)["/v1".Length..], handler)
            .WithName($"complete{provider}SignIn")
            .AllowAnonymous()
            // A browser (Accept: text/html) is redirected to the settings page; a JSON client gets the mailbox or a problem.
            .Produces<MailboxResponse>()
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithTags(tag)
            .WithSummary($"Where {provider} sends the browser back: exchanges the code and connects the mailbox.");

    /// <summary>
    /// The <c>?account=</c> of an authorize request: the mail account the user confirmed connecting although it is not their
    /// registered address (null: none); false with the problem recorded when it is not an address.
    /// </summary>
    public static bool TryConfirmedAccount(RequestErrors errors, string? account, out string? confirmed)
    {
        confirmed = string.IsNullOrEmpty(account) ? null : errors.Email("account", account);
        return !errors.Any;
    }

    public static ProblemHttpResult NotConfigured(string provider) =>
        TypedResults.Problem(statusCode: 503, title: $"Sign in with {provider} is not configured",
            detail: $"Set {provider}:ClientId, {provider}:ClientSecret and {provider}:RedirectUri on this service.");
}
