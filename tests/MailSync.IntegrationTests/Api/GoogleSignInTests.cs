using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.Api.Google;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Api;

/// <summary>Sign in with Google end to end: the API, the fake Google on 127.0.0.1, Dovecot checking XOAUTH2 tokens with it.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Servers")]
public sealed class GoogleSignInTests(ApiFixture api)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>One user's browser (its own cookie jar) and the mailbox it connects.</summary>
    private sealed record Scene(FakeGoogle Google, string Company, string User, string Token, string Email, HttpClient Browser)
    {
        public string Mailbox => $"/v1/companies/{Company}/users/{User}/mailbox";
    }

    private async Task<Scene> SceneAsync()
    {
        var google = await FakeGoogle.SharedAsync();
        google.AccessTokenLifetime = TimeSpan.FromMinutes(1); // under 5 minutes: every pass refreshes
        var company = await api.NewCompanyAsync();
        var email = $"g{Guid.NewGuid():N}"[..13] + "@gmail.test";
        var token = ApiFixture.Token(company, "ann", "Salesperson");
        (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/lee", ApiFixture.OperatorToken(), new { email = "lee@lead.example" })).EnsureSuccessStatusCode();
        Dovecot.Plant(email, Mail.Message("lee@lead.example", [email], "Hello from Lee", DateTimeOffset.UtcNow.AddHours(-2)));
        return new Scene(google, company, "ann", token, email, api.NewBrowser());
    }

    /// <summary>The settings page's fetch of the consent URL: from the user's browser, with the JWT; its cookie stays in that browser.</summary>
    private static async Task<Uri> ConsentUrlAsync(Scene scene, string? account = null)
    {
        var query = account is null ? "" : $"?account={Uri.EscapeDataString(account)}";
        var request = new HttpRequestMessage(HttpMethod.Get, scene.Mailbox + "/google/authorize" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scene.Token);
        var response = await scene.Browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Uri((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
    }

    private static string StateOf(Uri consent) => QueryHelpers.ParseQuery(consent.Query)["state"].ToString();

    /// <summary>Google sends <paramref name="browser"/> back to the callback (a top-level navigation: it asks for HTML).</summary>
    private static async Task<HttpResponseMessage> CallbackAsync(HttpClient browser, string? code, string? state, bool json = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"/v1/oauth/google/callback?code={Uri.EscapeDataString(code ?? "")}&state={Uri.EscapeDataString(state ?? "")}");
        request.Headers.Accept.ParseAdd(json ? "application/json" : "text/html,application/xhtml+xml,*/*;q=0.8");
        return await browser.SendAsync(request);
    }

    private async Task<JsonElement> MailboxAsync(Scene scene) =>
        await (await api.SendAsync(HttpMethod.Get, scene.Mailbox, scene.Token)).Content.ReadFromJsonAsync<JsonElement>();

    private static async Task SignInAsync(Scene scene)
    {
        var consent = await ConsentUrlAsync(scene);
        var code = scene.Google.Approve(consent, scene.Email);
        var callback = await CallbackAsync(scene.Browser, code, StateOf(consent));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith($"{ApiFixture.SettingsPage}#google=connected&status=", callback.Headers.Location!.ToString());
        Assert.Contains("#google=connected&status=", callback.Headers.Location!.ToString()); // Enabled, or the failing status a reconnect leaves
    }

    [Fact]
    public async Task Consent_then_callback_connects_the_mailbox_which_syncs_over_XOAUTH2()
    {
        var scene = await SceneAsync();

        var consent = await ConsentUrlAsync(scene);
        var query = QueryHelpers.ParseQuery(consent.Query);
        Assert.Equal(("offline", "consent", "S256", "code"), (query["access_type"].ToString(), query["prompt"].ToString(), query["code_challenge_method"].ToString(), query["response_type"].ToString()));
        Assert.Contains("https://mail.google.com/", query["scope"].ToString().Split(' '));
        Assert.Contains("email", query["scope"].ToString().Split(' '));
        await SignInAsync(scene);

        var synced = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "synced over XOAUTH2");
        Assert.Equal(("Enabled", "google", scene.Email), (synced.GetProperty("status").GetString(), synced.GetProperty("provider").GetString(), synced.GetProperty("email").GetString()));
        var timeline = await (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{scene.Company}/leads/lee/emails", scene.Token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Hello from Lee", timeline.GetProperty("items")[0].GetProperty("subject").GetString());
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_and_syncing_goes_on()
    {
        var scene = await SceneAsync();
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "first pass");
        var refreshesBefore = scene.Google.RefreshCount(scene.Email);

        scene.Google.ExpireAccessTokens(scene.Email);
        await Dovecot.KickAsync(scene.Email); // the next pass must log in again, with a new token
        Dovecot.Plant(scene.Email, Mail.Message("lee@lead.example", [scene.Email], "Second note", DateTimeOffset.UtcNow.AddMinutes(-5)));
        (await api.SendAsync(HttpMethod.Post, scene.Mailbox + "/sync", scene.Token)).EnsureSuccessStatusCode();

        var after = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 2, Deadline, "second pass");
        Assert.Equal("Enabled", after.GetProperty("status").GetString());
        Assert.True(scene.Google.RefreshCount(scene.Email) > refreshesBefore);
    }

    [Fact]
    public async Task A_revoked_grant_shows_OAuthTokenRevoked_and_signing_in_again_recovers()
    {
        var scene = await SceneAsync();
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "first pass");

        scene.Google.Revoke(scene.Email);
        (await api.SendAsync(HttpMethod.Post, scene.Mailbox + "/sync", scene.Token)).EnsureSuccessStatusCode();
        var revoked = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Error", Deadline, "revoked");
        var lastError = revoked.GetProperty("lastError");
        Assert.Equal(nameof(MailboxErrorCode.OAuthTokenRevoked), lastError.GetProperty("code").GetString());
        Assert.Contains("Sign in with Google again", lastError.GetProperty("fix").GetString());

        await SignInAsync(scene);
        var recovered = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Enabled" && m.GetProperty("lastError").ValueKind == JsonValueKind.Null,
            Deadline, "recovered");
        Assert.Equal("google", recovered.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task A_token_server_outage_is_a_retryable_error_and_syncing_resumes_when_it_is_back()
    {
        var scene = await SceneAsync();
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "first pass");

        scene.Google.Available = false;
        MailboxErrorCode code;
        try
        {
            (await api.SendAsync(HttpMethod.Post, scene.Mailbox + "/sync", scene.Token)).EnsureSuccessStatusCode();
            var failing = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Error", Deadline, "outage");
            code = Enum.Parse<MailboxErrorCode>(failing.GetProperty("lastError").GetProperty("code").GetString()!);
            // The sign-in service's outage in plain words: no exception type or text of ours reaches the user.
            Assert.Equal("Google's token server did not give an access token; it is asked again shortly.",
                failing.GetProperty("lastError").GetProperty("detail").GetString());
        }
        finally
        {
            scene.Google.Available = true;
        }
        (await api.SendAsync(HttpMethod.Post, scene.Mailbox + "/sync", scene.Token)).EnsureSuccessStatusCode();
        var back = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Enabled", Deadline, "back");

        Assert.Equal(MailboxErrorCode.OAuthServerUnavailable, code);
        Assert.Equal(JsonValueKind.Null, back.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task No_access_or_refresh_token_appears_in_responses_or_logs()
    {
        var scene = await SceneAsync();
        var bodies = new List<string>();
        var consent = await ConsentUrlAsync(scene);
        var callback = await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), StateOf(consent));
        bodies.Add(callback.Headers.Location?.ToString() ?? "");
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "synced");
        var company = $"/v1/companies/{scene.Company}";
        foreach (var path in new[] { scene.Mailbox, scene.Mailbox + "/errors", company + "/mail-sync", company + "/mail-sync/users", company + "/mail-sync/errors" })
            bodies.Add(await (await api.SendAsync(HttpMethod.Get, path, ApiFixture.Token(scene.Company, "boss", "Administrator"))).Content.ReadAsStringAsync());
        var tokens = scene.Google.IssuedTokens(scene.Email);

        Assert.True(tokens.Count >= 2, "a refresh token and at least one access token were issued");
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(bodies, b => b.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(api.Logs, line => line.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_tampered_expired_or_replayed_state_is_a_400_for_JSON_clients_and_nothing_is_stored()
    {
        var scene = await SceneAsync();
        var consent = await ConsentUrlAsync(scene);
        var state = StateOf(consent);
        var tampered = state[..^3] + (state[^3] == 'A' ? "B" : "A") + state[^2..];
        var codec = api.Services.GetRequiredService<OAuthStateCodec>();
        var expired = codec.Encode(new OAuthState(scene.Company, "ann", "expired-nonce", DateTimeOffset.UtcNow.AddMinutes(-1), "verifier"));

        var responses = new[]
        {
            await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), tampered, json: true),
            await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), expired, json: true),
            await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), "made-up", json: true),
            await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), null, json: true),
        };
        var first = await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), state, json: true);
        await api.SendAsync(HttpMethod.Delete, scene.Mailbox, scene.Token); // forget what the genuine one stored
        var replayed = await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), state, json: true);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(scene.Email, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Equal("state", (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Single().Name);
        Assert.Equal("NotConfigured", (await MailboxAsync(scene)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_browser_comes_back_to_the_settings_page_with_the_reason_in_the_fragment_when_nothing_connected()
    {
        var scene = await SceneAsync();
        var consent = await ConsentUrlAsync(scene);
        var state = StateOf(consent);

        var invalid = await CallbackAsync(scene.Browser, "some-code", "made-up");
        var denied = await scene.Browser.GetAsync($"/v1/oauth/google/callback?error=access_denied&state={Uri.EscapeDataString(state)}");
        var replayed = await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), state);

        Assert.Equal($"{ApiFixture.SettingsPage}#google=error&reason=state_invalid", invalid.Headers.Location!.ToString());
        Assert.Equal($"{ApiFixture.SettingsPage}#google=error&reason=access_denied&companyId={scene.Company}&userId=ann",
            denied.Headers.Location!.ToString());
        Assert.Contains("#google=error&reason=state_used", replayed.Headers.Location!.ToString());
        Assert.Equal("NotConfigured", (await MailboxAsync(scene)).GetProperty("status").GetString());
    }

    /// <summary>Registers ann in the CRM's directory with <paramref name="email"/>, as the CRM does for its users.</summary>
    private async Task RegisterAsync(Scene scene, string email) =>
        (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{scene.Company}/users/ann", ApiFixture.OperatorToken(),
            new { email, role = "Salesperson" })).EnsureSuccessStatusCode();

    [Fact]
    public async Task A_Google_account_other_than_the_registered_address_connects_only_after_the_user_confirms_it()
    {
        var scene = await SceneAsync();
        await RegisterAsync(scene, "ann@crm.example");
        var consent = await ConsentUrlAsync(scene);

        var mismatch = await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), StateOf(consent));

        // Nothing connected and both identities shown to the page; the grant is not revoked (that would cut the same account's
        // connection elsewhere), only never stored.
        Assert.Equal($"{ApiFixture.SettingsPage}#google=error&reason=account_mismatch&account={Uri.EscapeDataString(scene.Email)}"
            + $"&expected=ann%40crm.example&companyId={scene.Company}&userId=ann", mismatch.Headers.Location!.ToString());
        Assert.Equal("NotConfigured", (await MailboxAsync(scene)).GetProperty("status").GetString());
        Assert.Empty(scene.Google.RevokedTokens(scene.Email));

        // The user confirms on the page: a second sign-in carrying the confirmed account (Google preselects it).
        var confirmed = await ConsentUrlAsync(scene, scene.Email);
        var connected = await CallbackAsync(scene.Browser, scene.Google.Approve(confirmed, scene.Email), StateOf(confirmed));

        Assert.Equal(scene.Email, QueryHelpers.ParseQuery(confirmed.Query)["login_hint"].ToString());
        Assert.StartsWith($"{ApiFixture.SettingsPage}#google=connected&status=", connected.Headers.Location!.ToString());
        Assert.Equal(scene.Email, (await MailboxAsync(scene)).GetProperty("email").GetString());
    }

    [Fact]
    public async Task Where_the_company_connects_registered_addresses_only_another_account_is_refused_even_when_confirmed()
    {
        var scene = await SceneAsync();
        await RegisterAsync(scene, "ann@crm.example");
        (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{scene.Company}", ApiFixture.OperatorToken(),
            new { name = "Acme", mailboxSyncLimit = 5, otherMailAccounts = "refuse" })).EnsureSuccessStatusCode();
        var consent = await ConsentUrlAsync(scene, scene.Email);

        var refused = await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), StateOf(consent));
        var asJson = await CallbackAsync(scene.Browser, scene.Google.Approve(consent, scene.Email), StateOf(consent), json: true);

        Assert.Contains("#google=error&reason=account_not_allowed&account=", refused.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, asJson.StatusCode); // the state was used: nothing more connects
        Assert.Equal("NotConfigured", (await MailboxAsync(scene)).GetProperty("status").GetString());
        var company = await (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{scene.Company}", ApiFixture.OperatorToken(),
            new { name = "Acme", mailboxSyncLimit = 5 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("refuse", company.GetProperty("otherMailAccounts").GetString()); // absent in a PUT: unchanged
    }

    [Fact]
    public async Task A_consent_link_opened_in_another_browser_connects_nothing()
    {
        // The attacker (a user of another company) asks for a consent URL in their browser and sends the link to the victim,
        // who approves it at Google with their own Gmail: Google sends the victim's browser back, without the attacker's cookie.
        var attacker = await SceneAsync();
        var consent = await ConsentUrlAsync(attacker);
        var victimEmail = $"v{Guid.NewGuid():N}"[..13] + "@gmail.test";
        using var victimBrowser = api.NewBrowser();

        var callback = await CallbackAsync(victimBrowser, attacker.Google.Approve(consent, victimEmail), StateOf(consent));
        var asJson = await CallbackAsync(victimBrowser, attacker.Google.Approve(consent, victimEmail), StateOf(consent), json: true);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal($"{ApiFixture.SettingsPage}#google=error&reason=browser_mismatch", callback.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, asJson.StatusCode);
        var mailbox = await MailboxAsync(attacker);
        Assert.Equal(("NotConfigured", JsonValueKind.Null), (mailbox.GetProperty("status").GetString(), mailbox.GetProperty("email").ValueKind));
        Assert.Empty(attacker.Google.IssuedTokens(victimEmail)); // the victim's code was never exchanged
    }

    [Fact]
    public async Task The_binding_cookie_is_HttpOnly_Lax_limited_to_the_callback_and_holds_no_part_of_the_state()
    {
        var scene = await SceneAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, scene.Mailbox + "/google/authorize");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scene.Token);

        var response = await api.Http.SendAsync(request);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var state = StateOf(new Uri((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!));

        Assert.StartsWith(SignInBinding.CookiePrefix, cookie);
        Assert.Contains("path=/v1/oauth/google/callback", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.DoesNotContain("secure", cookie); // the test API speaks plain http; over https the cookie is Secure
        var value = cookie.Split(';')[0].Split('=', 2)[1];
        Assert.DoesNotContain(value, state);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_grant_revoked_while_the_access_token_is_cached_reads_sign_in_again_never_password()
    {
        var scene = await SceneAsync();
        scene.Google.AccessTokenLifetime = TimeSpan.FromHours(1); // the silo keeps the token: no refresh before the revocation shows
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "first pass");
        var refreshesBefore = scene.Google.RefreshCount(scene.Email);

        scene.Google.Revoke(scene.Email);
        await Dovecot.KickAsync(scene.Email); // the next pass must log in again with the cached token, which Google no longer honours
        (await api.SendAsync(HttpMethod.Post, scene.Mailbox + "/sync", scene.Token)).EnsureSuccessStatusCode();
        var revoked = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Error", Deadline, "revoked");
        await Dovecot.ClearAuthPenaltyAsync();

        var lastError = revoked.GetProperty("lastError");
        Assert.Equal(nameof(MailboxErrorCode.OAuthTokenRevoked), lastError.GetProperty("code").GetString());
        Assert.Equal("Sign in with Google again to reconnect the mailbox.", lastError.GetProperty("fix").GetString());
        Assert.DoesNotContain("password", lastError.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(refreshesBefore, scene.Google.RefreshCount(scene.Email)); // the one refresh asked was refused (invalid_grant)
    }

    [Fact]
    public async Task When_Gmail_refuses_even_a_fresh_token_the_log_says_what_to_do_with_Google_not_a_password()
    {
        var scene = await SceneAsync();
        scene.Google.AccessTokenLifetime = TimeSpan.FromHours(1);
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "first pass");
        var refreshesBefore = scene.Google.RefreshCount(scene.Email);

        scene.Google.RefuseImap(scene.Email);
        await Dovecot.KickAsync(scene.Email);
        (await api.SendAsync(HttpMethod.Post, scene.Mailbox + "/sync", scene.Token)).EnsureSuccessStatusCode();
        var refused = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Error", Deadline, "refused");
        await Dovecot.ClearAuthPenaltyAsync();

        var lastError = refused.GetProperty("lastError");
        Assert.Equal(nameof(MailboxErrorCode.OAuthAccessRefused), lastError.GetProperty("code").GetString());
        Assert.StartsWith("Sign in with Google again", lastError.GetProperty("fix").GetString());
        // Never the password of the account; only, when Google's side keeps refusing, an app password meanwhile.
        Assert.DoesNotContain("password", lastError.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("meanwhile you can connect with a Google app password (https://myaccount.google.com/apppasswords).",
            lastError.GetProperty("fix").GetString());
        Assert.Equal(refreshesBefore + 1, scene.Google.RefreshCount(scene.Email)); // the cached token was dropped and refreshed once
    }
}
