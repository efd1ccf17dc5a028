using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Auth;
using MailSync.Grains.Interfaces.Companies;
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
    /// The callback's course whatever the provider: the state accepted, the provider's refusal (<paramref name="refused"/>,
    /// the reason; null when it sent a code), a missing code, the code exchanged (<paramref name="exchange"/>: the account and
    /// its refresh token, or why not), and the mailbox connected.
    /// </summary>
    public async Task<IResult> CompleteAsync(
        HttpContext http, string? state, string? code, string? refused, string provider, CookieOptions binderCookie,
        Func<string, OAuthState, Task<((string Email, string RefreshToken)? Grant, string? Reason)>> exchange,
        MailboxProvider mailboxProvider, ImapEndpoint imap)
    {
        var json = WantsJson(http.Request);
        var (decoded, refusal) = await AcceptStateAsync(state, http, json, provider, binderCookie);
        if (decoded is null) return refusal!;
        if (refused is not null) return Fail(http, json, refused, decoded);
        if (string.IsNullOrEmpty(code))
            return json ? RequestErrors.Problem("code", "is required.") : Fail(http, json, SignInResult.Reasons.CodeMissing, decoded);
        var (grant, reason) = await exchange(code, decoded);
        if (grant is not var (email, refreshToken)) return Fail(http, json, reason!, decoded);
        // Nothing connected: the refresh token is dropped, never stored. It is not revoked: Google's revocation withdraws the
        // app's whole grant for the account, which would cut a connection of the same account that is in use.
        if (await CheckAccountAsync(decoded, email) is { } mismatch) return Outcome(http, mismatch, null, json);
        var view = await Cluster.GetMailbox(decoded.CompanyId, decoded.UserId)
            .Connect(new MailboxCredentials(mailboxProvider, email, email, refreshToken, imap));
        return Outcome(http, SignInResult.Success(view, decoded.Provider), view, json);
    }

    /// <summary>
    /// The state, once it is valid, unexpired, used for the first time and presented by the browser holding its binder
    /// (whose cookie is then removed); otherwise the refusal to answer with.
    /// </summary>
    private async Task<(OAuthState? State, IResult? Refusal)> AcceptStateAsync(
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

    /// <summary>
    /// Null when <paramref name="account"/> may be connected for the state's user (<see cref="MailAccountCheck"/>); else the
    /// result that shows both identities, asking the user to confirm or saying the company refuses other accounts.
    /// </summary>
    private async Task<SignInResult?> CheckAccountAsync(OAuthState state, string account)
    {
        var user = Cluster.GetGrain<ICompanyDirectoryGrain>(state.CompanyId).GetUser(state.UserId);
        var profile = Cluster.GetGrain<ICompanyGrain>(state.CompanyId).GetProfile();
        var registered = (await user)?.Email;
        var policy = (await profile)?.OtherMailAccounts ?? OtherMailAccounts.Confirm;
        var reason = MailAccountCheck.Decide(registered, account, state.ConfirmedAccount, policy) switch
        {
            MailAccountCheck.Verdict.Confirm => SignInResult.Reasons.AccountMismatch,
            MailAccountCheck.Verdict.Refuse => SignInResult.Reasons.AccountNotAllowed,
            _ => null,
        };
        return reason is null
            ? null
            : SignInResult.Failure(reason, state, state.Provider) with { Account = account, Expected = registered };
    }

    /// <summary>A sign-in that connected nothing, for <paramref name="reason"/>.</summary>
    private IResult Fail(HttpContext http, bool json, string reason, OAuthState state) =>
        Outcome(http, SignInResult.Failure(reason, state, state.Provider), null, json);

    /// <summary>Whether the caller is a JSON client (no text/html), which gets the mailbox or a problem instead of a redirect.</summary>
    private static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) &&
            !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A JSON client gets a 400 naming the state; a browser goes back to the settings page with the reason.</summary>
    private IResult Refuse(HttpContext http, bool json, string problem, string reason, OAuthState? state, string provider) =>
        json ? RequestErrors.Problem("state", problem) : Outcome(http, SignInResult.Failure(reason, state, provider), null, json);

    /// <summary>
    /// A browser goes back to the settings page (MailSync:SettingsPageUrl, else this host's own) with the result in the
    /// fragment; a client that asks for JSON only (no text/html) gets the mailbox (200) or a 400 problem naming the outcome.
    /// </summary>
    private IResult Outcome(HttpContext http, SignInResult result, MailboxView? view, bool json)
    {
        if (!json) return TypedResults.Redirect(result.RedirectTarget(MailSync.Value.SettingsPageUrl, http.Request.PathBase));
        return view is null
            ? TypedResults.Problem(
                statusCode: 400, title: $"Sign in with {result.ProviderName} did not complete", detail: result.Reason)
            : TypedResults.Ok(Mailboxes.MailboxResponse.From(view));
    }
}
