using MailSync.BrowserTests.Infrastructure;
using MailSync.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.Google;

/// <summary>
/// Sign in with Google from the page, through the loopback fake Google: its consent page is played by the test (the
/// browser's request for it is answered with Google's redirect back, carrying a code the fake issued).
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Servers")]
public sealed class GoogleSignInPageTests(PageHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static string NewGmailAddress() => $"g{Guid.NewGuid():N}"[..13] + "@gmail.test";

    /// <summary>In this context, Google's consent page says yes for <paramref name="email"/> and sends the browser back.</summary>
    private Task ApproveConsentAsync(IBrowserContext context, string email) =>
        context.RouteAsync($"{host.Google.BaseUrl}/auth**", async route =>
        {
            var consent = new Uri(route.Request.Url);
            var query = QueryHelpers.ParseQuery(consent.Query);
            var code = host.Google.Approve(consent, email);
            var back = QueryHelpers.AddQueryString(query["redirect_uri"].ToString(), new Dictionary<string, string?> { ["code"] = code, ["state"] = query["state"] });
            await route.FulfillAsync(new RouteFulfillOptions { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = back } });
        });

    [Fact]
    public async Task Sign_in_with_Google_ends_Enabled_the_result_is_shown_on_return_and_no_token_reaches_the_page()
    {
        var company = await host.NewCompanyAsync(2, ("ann", "Salesperson"));
        var email = NewGmailAddress();
        await host.RegisterAsync(company, "ann", email);
        await using var context = await browser.NewContextAsync();
        await ApproveConsentAsync(context, email);
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Salesperson"));

        await ann.Page.ClickAsync("#google-signin");

        await Expect(ann.Notice).ToContainTextAsync("Sign in with Google worked");
        await ann.ExpectStatusAsync("Enabled");
        await Expect(ann.Page.Locator("#fact-provider")).ToHaveTextAsync("Sign in with Google");
        await Expect(ann.Page.Locator("#fact-email")).ToHaveTextAsync(email);
        // The result was read from the address and removed from it, like the token.
        Assert.Equal(host.PageUrl, ann.Page.Url);
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "back from Google");

        // No refresh or access token Google issued is in the page, its storage or any answer the browser received.
        var tokens = host.Google.IssuedTokens(email);
        Assert.NotEmpty(tokens);
        var everything = string.Join('\n', await ann.ResponseBodiesAsync()) + await ann.EverythingShownAsync();
        Assert.All(tokens, token => Assert.DoesNotContain(token, everything));
    }

    [Fact]
    public async Task A_Google_account_other_than_the_registered_address_is_shown_beside_it_and_connects_only_when_chosen()
    {
        var company = await host.NewCompanyAsync(2, ("ann", "Salesperson")); // registered as ann@acme.test
        var email = NewGmailAddress();
        await using var context = await browser.NewContextAsync();
        await ApproveConsentAsync(context, email);
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Salesperson"));

        await ann.Page.ClickAsync("#google-signin");

        var ask = ann.Page.Locator("#other-account");
        await Expect(ask).ToBeVisibleAsync();
        await Expect(ask).ToContainTextAsync($"You signed in to Google as {email}, but ann is registered in the CRM as ann@acme.test");
        await Expect(ann.Page.Locator("#other-account-cancel")).ToBeFocusedAsync(); // the default keeps nothing connected
        await ann.ExpectStatusAsync("Not connected");
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "another Google account");
        Assert.Equal(host.PageUrl, ann.Page.Url); // both addresses were read from the fragment and removed from it

        await ann.Page.ClickAsync("#other-account-go"); // "Connect …": Google once more, the confirmed account preselected

        await Expect(ann.Notice).ToContainTextAsync("Sign in with Google worked");
        await ann.ExpectStatusAsync("Enabled");
        await Expect(ann.Page.Locator("#fact-email")).ToHaveTextAsync(email);
    }

    [Fact]
    public async Task A_revoked_Google_grant_asks_to_sign_in_with_Google_again_and_never_mentions_a_password()
    {
        var company = await host.NewCompanyAsync(2, ("ann", "Salesperson"));
        var email = NewGmailAddress();
        await host.RegisterAsync(company, "ann", email);
        await using var context = await browser.NewContextAsync();
        await ApproveConsentAsync(context, email);
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Salesperson"));
        await ann.Page.ClickAsync("#google-signin");
        await ann.ExpectStatusAsync("Enabled");
        await Expect(ann.Page.Locator("#fact-last-sync time")).ToBeVisibleAsync(); // the first pass is done: its session stays open

        host.Google.Revoke(email);
        await Dovecot.KickAsync(email); // the next pass logs in again, with the access token Google no longer honours
        await ann.Page.ClickAsync("#sync-now");

        await ann.ExpectStatusAsync("Error");
        await Expect(ann.Page.Locator("#last-error-fix")).ToContainTextAsync("Sign in with Google again");
        await Expect(ann.LogEntries.First).ToContainTextAsync("How to fix: Sign in with Google again");
        var shown = await ann.Page.Locator("#mailbox").InnerTextAsync() + await ann.Page.Locator("#log").InnerTextAsync();
        Assert.DoesNotContain("password", shown, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_consent_link_opened_in_another_browser_connects_nothing()
    {
        var company = await host.NewCompanyAsync(2, ("mallory", "Salesperson"));
        var victimCompany = await host.NewCompanyAsync(2, ("vic", "Salesperson"));
        var victimGmail = NewGmailAddress();

        // Mallory starts Sign in with Google; the consent address her browser is sent to is all she keeps.
        await using var attackerContext = await browser.NewContextAsync();
        var consentUrl = new TaskCompletionSource<string>();
        await attackerContext.RouteAsync($"{host.Google.BaseUrl}/auth**", async route =>
        {
            consentUrl.TrySetResult(route.Request.Url);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/plain", Body = "consent page" });
        });
        var mallory = await SettingsPage.OpenAsync(attackerContext, host.PageLink(company, "mallory", "Salesperson"));
        await mallory.Page.ClickAsync("#google-signin");
        var link = await consentUrl.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Vic, signed in to his own settings page in his own browser, opens her link and says yes to Google.
        await using var victimContext = await browser.NewContextAsync();
        await ApproveConsentAsync(victimContext, victimGmail);
        var vic = await SettingsPage.OpenAsync(victimContext, host.PageLink(victimCompany, "vic", "Salesperson"));
        await vic.Page.GotoAsync(link);

        await Expect(vic.Notice).ToContainTextAsync("another browser");
        await vic.ExpectStatusAsync("Not connected");
        Assert.Equal("NotConfigured", (await host.MailboxAsync(company, "mallory")).GetProperty("status").GetString());
        Assert.Equal("NotConfigured", (await host.MailboxAsync(victimCompany, "vic")).GetProperty("status").GetString());
        Assert.Empty(host.Google.IssuedTokens(victimGmail));
    }
}
