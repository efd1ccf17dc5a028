using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace MailSync.IntegrationTests.Api;

/// <summary>
/// Sign in with Microsoft end to end: the API, the fake identity platform on 127.0.0.1 (rotating refresh tokens, AADSTS
/// errors), Dovecot checking the XOAUTH2 tokens with it.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Servers")]
public sealed class MicrosoftSignInTests(ApiFixture api)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private sealed record Scene(FakeMicrosoft Microsoft, string Company, string User, string Token, string Email, HttpClient Browser)
    {
        public string Mailbox => $"/v1/companies/{Company}/users/{User}/mailbox";
    }

    private async Task<Scene> SceneAsync()
    {
        var microsoft = await FakeMicrosoft.SharedAsync();
        microsoft.AccessTokenLifetime = TimeSpan.FromMinutes(1); // under 5 minutes: every pass refreshes
        var company = await api.NewCompanyAsync();
        var email = $"m{Guid.NewGuid():N}"[..13] + "@contoso.test";
        var token = ApiFixture.Token(company, "ann", "Salesperson");
        (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/lee", ApiFixture.OperatorToken(), new { email = "lee@lead.example" })).EnsureSuccessStatusCode();
        Dovecot.Plant(email, Mail.Message("lee@lead.example", [email], "Hello from Lee", DateTimeOffset.UtcNow.AddHours(-2)));
        return new Scene(microsoft, company, "ann", token, email, api.NewBrowser());
    }

    private static async Task<Uri> SignInUrlAsync(Scene scene)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, scene.Mailbox + "/microsoft/authorize");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scene.Token);
        var response = await scene.Browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Uri((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
    }

    private static string StateOf(Uri url) => QueryHelpers.ParseQuery(url.Query)["state"].ToString();

    private static async Task<HttpResponseMessage> CallbackAsync(HttpClient browser, string query, bool json = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/oauth/microsoft/callback?{query}");
        request.Headers.Accept.ParseAdd(json ? "application/json" : "text/html,application/xhtml+xml,*/*;q=0.8");
        return await browser.SendAsync(request);
    }

    private static string Query(string code, string state) => $"code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}";

    private async Task<JsonElement> MailboxAsync(Scene scene) =>
        await (await api.SendAsync(HttpMethod.Get, scene.Mailbox, scene.Token)).Content.ReadFromJsonAsync<JsonElement>();

    private static async Task SignInAsync(Scene scene)
    {
        var url = await SignInUrlAsync(scene);
        var callback = await CallbackAsync(scene.Browser, Query(scene.Microsoft.Approve(url, scene.Email), StateOf(url)));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Contains("#microsoft=connected&status=", callback.Headers.Location!.ToString());
    }

    private async Task SyncNowAsync(Scene scene) =>
        (await api.SendAsync(HttpMethod.Post, scene.Mailbox + "/sync", scene.Token)).EnsureSuccessStatusCode();

    [Fact]
    public async Task Sign_in_connects_the_mailbox_which_ends_Enabled_and_syncs_over_XOAUTH2()
    {
        var scene = await SceneAsync();

        var url = await SignInUrlAsync(scene);
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.EndsWith("/microsoft/common/oauth2/v2.0/authorize", url.AbsolutePath);
        Assert.Equal(("code", "S256", "select_account", "query"), (query["response_type"].ToString(),
            query["code_challenge_method"].ToString(), query["prompt"].ToString(), query["response_mode"].ToString()));
        Assert.Equal(["https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access", "openid", "email"], query["scope"].ToString().Split(' '));
        var callback = await CallbackAsync(scene.Browser, Query(scene.Microsoft.Approve(url, scene.Email), StateOf(url)));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith($"{ApiFixture.SettingsPage}#microsoft=connected&status=", callback.Headers.Location!.ToString());

        var synced = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "synced");
        Assert.Equal(("Enabled", "microsoft", scene.Email),
            (synced.GetProperty("status").GetString(), synced.GetProperty("provider").GetString(), synced.GetProperty("email").GetString()));
        var timeline = await (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{scene.Company}/leads/lee/emails", scene.Token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Hello from Lee", timeline.GetProperty("items")[0].GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Three_refreshes_in_a_row_each_send_the_newest_refresh_token_and_none_is_replayed()
    {
        var scene = await SceneAsync();
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "first pass");

        for (var pass = 2; pass <= 3; pass++)
        {
            scene.Microsoft.ExpireAccessTokens(scene.Email);
            await Dovecot.KickAsync(scene.Email); // the next pass logs in again, with an access token refreshed for it
            Dovecot.Plant(scene.Email, Mail.Message("lee@lead.example", [scene.Email], $"Note {pass}", DateTimeOffset.UtcNow.AddMinutes(-5)));
            await SyncNowAsync(scene);
            var expected = pass;
            await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == expected, Deadline, $"pass {pass}");
        }

        Assert.Equal(3, scene.Microsoft.RefreshCount(scene.Email));
        Assert.Equal(0, scene.Microsoft.ReplayCount(scene.Email));
        Assert.Equal("Enabled", (await MailboxAsync(scene)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("invalid_grant", 700082, "AADSTS700082: The refresh token has expired due to inactivity.", nameof(MailboxErrorCode.OAuthTokenRevoked), "Sign in with Microsoft again")]
    [InlineData("invalid_grant", 50173, "AADSTS50173: The provided grant has expired due to it being revoked.", nameof(MailboxErrorCode.OAuthTokenRevoked), "Sign in with Microsoft again")]
    [InlineData("interaction_required", 50076, "AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.", nameof(MailboxErrorCode.OAuthTokenRevoked), "Sign in with Microsoft again")]
    [InlineData("invalid_grant", 65001, "AADSTS65001: The user or administrator has not consented to use the application.", nameof(MailboxErrorCode.OAuthAdminConsentRequired), "Microsoft 365 administrator")]
    [InlineData("invalid_request", 90094, "AADSTS90094: An administrator of Contoso has set a policy that prevents you from granting the app the permissions it is requesting.", nameof(MailboxErrorCode.OAuthAdminConsentRequired), "admin consent link")]
    public async Task A_refusal_of_the_token_endpoint_shows_its_code_and_a_fix_in_Microsofts_words(
        string error, int aadsts, string description, string code, string fix)
    {
        var scene = await SceneAsync();
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "first pass");
        scene.Microsoft.Fail(scene.Email, error, [aadsts], description);
        try
        {
            scene.Microsoft.ExpireAccessTokens(scene.Email);
            await Dovecot.KickAsync(scene.Email);
            await SyncNowAsync(scene);
            var failed = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Error", Deadline, "refused");
            var lastError = failed.GetProperty("lastError");

            Assert.Equal(code, lastError.GetProperty("code").GetString());
            Assert.Contains(fix, lastError.GetProperty("fix").GetString());
            Assert.Contains($"AADSTS{aadsts}", lastError.GetProperty("detail").GetString());
            Assert.DoesNotContain("Trace ID", lastError.GetProperty("detail").GetString());
            Assert.DoesNotContain("password", lastError.GetProperty("fix").GetString(), StringComparison.OrdinalIgnoreCase);
            if (code == nameof(MailboxErrorCode.OAuthAdminConsentRequired))
                Assert.Contains($"/organizations/v2.0/adminconsent?client_id={Uri.EscapeDataString(FakeMicrosoft.ClientId)}",
                    lastError.GetProperty("detail").GetString());
        }
        finally
        {
            scene.Microsoft.Heal(scene.Email);
        }
    }

    [Fact]
    public async Task A_token_endpoint_outage_is_retried_and_never_the_users_to_fix_with_a_password()
    {
        var scene = await SceneAsync();
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "first pass");
        scene.Microsoft.Fail(scene.Email, "temporarily_unavailable", [], "", status: 503);
        try
        {
            scene.Microsoft.ExpireAccessTokens(scene.Email);
            await Dovecot.KickAsync(scene.Email);
            await SyncNowAsync(scene);
            var failing = await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Error", Deadline, "outage");
            var lastError = failing.GetProperty("lastError");
            Assert.Equal(nameof(MailboxErrorCode.OAuthServerUnavailable), lastError.GetProperty("code").GetString());
            Assert.Contains("Microsoft's sign-in service", lastError.GetProperty("message").GetString());
            Assert.Contains("no password to fall back on", lastError.GetProperty("fix").GetString());
            Assert.DoesNotContain("Exception", lastError.GetProperty("detail").GetString());
        }
        finally
        {
            scene.Microsoft.Heal(scene.Email);
        }
        await SyncNowAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Enabled", Deadline, "back");
    }

    [Fact]
    public async Task A_sign_in_an_administrator_must_approve_first_connects_nothing_and_says_so()
    {
        var scene = await SceneAsync();
        var url = await SignInUrlAsync(scene);

        var callback = await CallbackAsync(scene.Browser,
            $"error=consent_required&error_description={Uri.EscapeDataString("AADSTS65001: The user or administrator has not consented.")}&state={Uri.EscapeDataString(StateOf(url))}");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Contains("#microsoft=error&reason=admin_consent_required", callback.Headers.Location!.ToString());
        Assert.Equal("NotConfigured", (await MailboxAsync(scene)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_sign_in_link_opened_in_another_browser_connects_nothing()
    {
        var attacker = await SceneAsync();
        var url = await SignInUrlAsync(attacker);
        var victimEmail = $"v{Guid.NewGuid():N}"[..13] + "@contoso.test";
        using var victimBrowser = api.NewBrowser();

        var callback = await CallbackAsync(victimBrowser, Query(attacker.Microsoft.Approve(url, victimEmail), StateOf(url)));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.EndsWith("#microsoft=error&reason=browser_mismatch", callback.Headers.Location!.ToString());
        var mailbox = await MailboxAsync(attacker);
        Assert.Equal(("NotConfigured", JsonValueKind.Null), (mailbox.GetProperty("status").GetString(), mailbox.GetProperty("email").ValueKind));
        Assert.Empty(attacker.Microsoft.IssuedTokens(victimEmail)); // the victim's code was never exchanged
    }

    [Fact]
    public async Task A_Google_state_is_refused_by_the_Microsoft_callback()
    {
        var scene = await SceneAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, scene.Mailbox + "/google/authorize");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scene.Token);
        var google = new Uri((await (await scene.Browser.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);

        var callback = await CallbackAsync(scene.Browser, Query("any-code", StateOf(google)), json: true);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.Equal("NotConfigured", (await MailboxAsync(scene)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task No_access_or_refresh_token_appears_in_responses_or_logs()
    {
        var scene = await SceneAsync();
        var bodies = new List<string>();
        var url = await SignInUrlAsync(scene);
        var callback = await CallbackAsync(scene.Browser, Query(scene.Microsoft.Approve(url, scene.Email), StateOf(url)));
        bodies.Add(callback.Headers.Location?.ToString() ?? "");
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() == 1, Deadline, "synced");
        var company = $"/v1/companies/{scene.Company}";
        foreach (var path in new[] { scene.Mailbox, scene.Mailbox + "/errors", company + "/mail-sync", company + "/mail-sync/users", company + "/mail-sync/errors" })
            bodies.Add(await (await api.SendAsync(HttpMethod.Get, path, ApiFixture.Token(scene.Company, "boss", "Administrator"))).Content.ReadAsStringAsync());
        var tokens = scene.Microsoft.IssuedTokens(scene.Email);

        Assert.True(tokens.Count >= 4, "the sign-in's and the first refresh's access and refresh tokens were issued");
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(bodies, b => b.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(api.Logs, line => line.Contains(token, StringComparison.Ordinal));
        }
    }
}
