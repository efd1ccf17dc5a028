using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Auth;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Google;

/// <summary>
/// What an OAuth sign-in callback needs whatever the provider, bound as one parameter (<c>[AsParameters]</c>): the sealed,
/// single-use state, the check that the browser coming back is the one that started, and the answer (a redirect to the
/// settings page, or JSON for a client that asks for it).
/// </summary>
public sealed record SignInServices(
    IOptions<MailSyncOptions> MailSync, OAuthStateCodec Codec, MailSyncClock Clock, IClusterClient Cluster, ILoggerFactory Loggers)
{
    /// <summary>
    /// The state, once it is valid, unexpired, used for the first time and presented by the browser holding its binder
    /// (whose cookie is then removed); otherwise the refusal to answer with.
    /// </summary>
    public async Task<(OAuthState? State, IResult? Refusal)> AcceptStateAsync(
        string? state, HttpContext http, bool json, string provider, CookieOptions binderCookie)
    {
        var key = provider.ToLowerInvariant();
        var decoded = Codec.Decode(state);
        // A state is taken only by the callback of the provider it was issued for.
        if (decoded is null || decoded.ExpiresAt <= Clock.Now || decoded.Provider != key)
            return (null, Refuse(http, json, $"is not valid or has expired: start Sign in with {provider} again.",
                SignInResult.Reasons.StateInvalid, null, key));
        if (!await Cluster.GetGrain<IOAuthStateGrain>(decoded.Nonce).TryConsume(decoded.ExpiresAt))
            return (null, Refuse(http, json, $"was already used: start Sign in with {provider} again.",
                SignInResult.Reasons.StateUsed, decoded, key));
        if (decoded.BinderHash is not { } binderHash ||
            !SignInBinding.Matches(http.Request.Cookies[SignInBinding.CookieName(binderHash)], binderHash))
        {
            // Another browser than the one that started sign-in (a forwarded consent link): connect nothing.
            Loggers.CreateLogger<SignInServices>().LogWarning(
                "{Provider} sign-in of {Company}/{User} came back in a browser that did not start it; nothing connected",
                provider, decoded.CompanyId, decoded.UserId);
            return (null, Refuse(http, json, $"was issued to another browser: start Sign in with {provider} again in this browser.",
                SignInResult.Reasons.BrowserMismatch, null, key));
        }
        http.Response.Cookies.Delete(SignInBinding.CookieName(binderHash), binderCookie);
        return (decoded, null);
    }

    /// <summary>Connects the mailbox the state names with the credentials the provider granted, and answers with the outcome.</summary>
    public async Task<IResult> ConnectAsync(HttpContext http, bool json, OAuthState state, MailboxCredentials credentials)
    {
        var view = await Cluster.GetMailbox(state.CompanyId, state.UserId).Connect(credentials);
        return Outcome(http, SignInResult.Success(view, state.Provider), view, json);
    }

    /// <summary>A sign-in that connected nothing, for <paramref name="reason"/>.</summary>
    public IResult Fail(HttpContext http, bool json, string reason, OAuthState? state, string? provider = null) =>
        Outcome(http, SignInResult.Failure(reason, state, provider ?? state?.Provider ?? SignInResult.GoogleKey), null, json);

    /// <summary>Whether the caller is a JSON client (no text/html), which gets the mailbox or a problem instead of a redirect.</summary>
    public static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) &&
            !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A JSON client gets a 400 naming the state; a browser goes back to the settings page with the reason.</summary>
    private IResult Refuse(HttpContext http, bool json, string problem, string reason, OAuthState? state, string provider) =>
        json ? RequestErrors.Problem("state", problem) : Fail(http, json, reason, state, provider);

    /// <summary>
    /// A browser goes back to the settings page (MailSync:SettingsPageUrl, else this host's own) with the result in the
    /// fragment; a client that asks for JSON only (no text/html) gets the mailbox (200) or a 400 problem naming the outcome.
    /// </summary>
    private IResult Outcome(HttpContext http, SignInResult result, MailboxView? view, bool json)
    {
        if (!json) return TypedResults.Redirect(result.RedirectTarget(MailSync.Value.SettingsPageUrl, http.Request.PathBase));
        return view is null
            ? TypedResults.Problem(statusCode: 400,
                title: result.Provider == SignInResult.MicrosoftKey
                    ? "Sign in with Microsoft did not complete"
                    : "Sign in with Google did not complete",
                detail: result.LegacyOutcome)
            : TypedResults.Ok(Mailboxes.MailboxResponse.From(view));
    }
}
