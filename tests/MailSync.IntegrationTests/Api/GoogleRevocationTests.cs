using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace MailSync.IntegrationTests.Api;

/// <summary>
/// A Google sign-in that is disconnected (or replaced by another account's credentials) is revoked at Google's
/// revocation endpoint (the loopback fake), durably: when Google refuses at first, it is revoked later.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Servers")]
public sealed class GoogleRevocationTests(ApiFixture api)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private sealed record Scene(ApiFixture Api, FakeGoogle Google, string Company, string Token, string Email)
    {
        public string Mailbox => $"/v1/companies/{Company}/users/ann/mailbox";

        public IReadOnlyList<string> RefreshTokens => [.. Google.IssuedTokens(Email).Where(t => t.StartsWith("refresh-", StringComparison.Ordinal))];
    }

    private static async Task<Scene> SignedInAsync(ApiFixture api)
    {
        var google = await FakeGoogle.SharedAsync();
        var company = await api.NewCompanyAsync();
        var email = $"r{Guid.NewGuid():N}"[..13] + "@gmail.test";
        var scene = new Scene(api, google, company, ApiFixture.Token(company, "ann", "Salesperson"), email);
        (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/lee", ApiFixture.OperatorToken(), new { email = "lee@lead.example" })).EnsureSuccessStatusCode();
        Dovecot.Plant(email, Mail.Message("lee@lead.example", [email], "Hello from Lee", DateTimeOffset.UtcNow.AddHours(-2)));
        await SignInAsync(scene);
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("messagesSynced").GetInt64() >= 1, Deadline, "synced over XOAUTH2");
        return scene;
    }

    /// <summary>Sign-in as a browser does it: the consent URL and the callback in one cookie jar (the sign-in is bound to it).</summary>
    private static async Task SignInAsync(Scene scene)
    {
        using var browser = scene.Api.NewBrowser();
        using var authorizeRequest = new HttpRequestMessage(HttpMethod.Get, scene.Mailbox + "/google/authorize");
        authorizeRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scene.Token);
        var authorize = await browser.SendAsync(authorizeRequest);
        var consent = new Uri((await authorize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var code = scene.Google.Approve(consent, scene.Email);
        var state = QueryHelpers.ParseQuery(consent.Query)["state"].ToString();
        var callback = await browser.GetAsync($"/v1/oauth/google/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Contains("#google=connected", callback.Headers.Location!.ToString());
    }

    private static async Task<JsonElement> MailboxAsync(Scene scene) =>
        await (await scene.Api.SendAsync(HttpMethod.Get, scene.Mailbox, scene.Token)).Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<int> ErrorLogLengthAsync(Scene scene) =>
        (await (await scene.Api.SendAsync(HttpMethod.Get, scene.Mailbox + "/errors", scene.Token)).Content.ReadFromJsonAsync<JsonElement>())
        .GetProperty("items").GetArrayLength();

    /// <summary>What Google answers a refresh with the token now.</summary>
    private static async Task<string?> RefreshErrorAsync(Scene scene, string refreshToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{scene.Google.BaseUrl}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = FakeGoogle.ClientId, ["client_secret"] = FakeGoogle.ClientSecret,
        }));
        return response.IsSuccessStatusCode ? null : (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
    }

    [Fact]
    public async Task Disconnecting_revokes_exactly_the_mailboxs_refresh_token_which_Google_then_refuses()
    {
        var scene = await SignedInAsync(api);
        var refreshToken = Assert.Single(scene.RefreshTokens);

        var disconnect = await api.SendAsync(HttpMethod.Delete, scene.Mailbox + "?keepHistory=false", scene.Token);

        Assert.Equal(HttpStatusCode.NoContent, disconnect.StatusCode);
        var revoked = await Poll.UntilAsync(() => Task.FromResult(scene.Google.RevokedTokens(scene.Email)), r => r.Count > 0, Deadline, "revoked");
        Assert.Equal([refreshToken], revoked);
        Assert.Equal("invalid_grant", await RefreshErrorAsync(scene, refreshToken));
        Assert.Equal("NotConfigured", (await MailboxAsync(scene)).GetProperty("status").GetString());
        Assert.Equal(0, await ErrorLogLengthAsync(scene));
        Assert.DoesNotContain(api.Logs, line => line.Contains(refreshToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replacing_the_Google_sign_in_by_a_custom_mailbox_revokes_the_Google_grant()
    {
        var scene = await SignedInAsync(api);
        var refreshToken = Assert.Single(scene.RefreshTokens);

        var connect = await api.SendAsync(HttpMethod.Post, scene.Mailbox, scene.Token, ConnectBodies.Custom("ann"));

        Assert.True(connect.IsSuccessStatusCode, connect.StatusCode.ToString());
        var revoked = await Poll.UntilAsync(() => Task.FromResult(scene.Google.RevokedTokens(scene.Email)), r => r.Count > 0, Deadline, "revoked");
        Assert.Equal([refreshToken], revoked);
    }

    [Fact]
    public async Task Signing_in_again_to_the_same_account_revokes_only_the_grant_in_use_at_the_disconnect()
    {
        var scene = await SignedInAsync(api);
        var first = Assert.Single(scene.RefreshTokens);
        await SignInAsync(scene); // Google revokes whole grants: revoking the first token would revoke the second too
        var second = Assert.Single(scene.RefreshTokens.Except([first]));
        await Poll.UntilAsync(() => MailboxAsync(scene), m => m.GetProperty("status").GetString() == "Enabled", Deadline, "enabled again");

        (await api.SendAsync(HttpMethod.Delete, scene.Mailbox, scene.Token)).EnsureSuccessStatusCode();

        var revoked = await Poll.UntilAsync(() => Task.FromResult(scene.Google.RevokedTokens(scene.Email)), r => r.Count > 0, Deadline, "revoked");
        Assert.Equal([second], revoked);
        Assert.Equal(1, scene.Google.RevocationAttempts(scene.Email));
    }

    [Fact]
    public async Task A_revocation_Google_refuses_at_first_is_made_later_without_a_word_in_the_error_log()
    {
        var fast = new ApiFixture
        {
            ExtraSettings = new Dictionary<string, string?> { ["MailSync:Retry:Initial"] = "00:00:01", ["MailSync:Retry:Max"] = "00:00:02" },
        };
        await fast.InitializeAsync();
        try
        {
            var scene = await SignedInAsync(fast);
            var refreshToken = Assert.Single(scene.RefreshTokens);
            scene.Google.FailRevocations(scene.Email, 2);

            (await fast.SendAsync(HttpMethod.Delete, scene.Mailbox, scene.Token)).EnsureSuccessStatusCode();
            var afterDisconnect = scene.Google.RevokedTokens(scene.Email);

            var revoked = await Poll.UntilAsync(() => Task.FromResult(scene.Google.RevokedTokens(scene.Email)), r => r.Count > 0, Deadline, "revoked later");
            Assert.Empty(afterDisconnect);
            Assert.Equal([refreshToken], revoked);
            Assert.Equal(3, scene.Google.RevocationAttempts(scene.Email));
            Assert.Equal("NotConfigured", (await MailboxAsync(scene)).GetProperty("status").GetString());
            Assert.Equal(0, await ErrorLogLengthAsync(scene));
            Assert.DoesNotContain(fast.Logs, line => line.Contains(refreshToken, StringComparison.Ordinal));
        }
        finally
        {
            await fast.DisposeAsync();
        }
    }
}
