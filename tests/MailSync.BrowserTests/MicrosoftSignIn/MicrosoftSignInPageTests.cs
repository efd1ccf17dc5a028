using MailSync.BrowserTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.MicrosoftSignIn;

/// <summary>
/// Sign in with Microsoft from the page, through the loopback fake identity platform: its sign-in page is played by the
/// test (the browser's request for it is answered with Microsoft's redirect back).
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Servers")]
public sealed class MicrosoftSignInPageTests(PageHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static string NewAddress() => $"m{Guid.NewGuid():N}"[..13] + "@contoso.test";

    /// <summary>In this context, Microsoft's sign-in page answers with <paramref name="answer"/> for the request it got.</summary>
    private Task PlaySignInPageAsync(IBrowserContext context, Func<Uri, Dictionary<string, string?>> answer) =>
        context.RouteAsync($"{host.Google.Microsoft.BaseUrl}/**/oauth2/v2.0/authorize**", async route =>
        {
            var signIn = new Uri(route.Request.Url);
            var query = QueryHelpers.ParseQuery(signIn.Query);
            var reply = answer(signIn);
            reply["state"] = query["state"];
            var back = QueryHelpers.AddQueryString(query["redirect_uri"].ToString(), reply);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = back } });
        });

    [Fact]
    public async Task Sign_in_with_Microsoft_ends_Enabled_the_result_is_shown_on_return_and_no_token_reaches_the_page()
    {
        var company = await host.NewCompanyAsync(2, ("ann", "Salesperson"));
        var email = NewAddress();
        await host.RegisterAsync(company, "ann", email);
        await using var context = await browser.NewContextAsync();
        await PlaySignInPageAsync(context, url => new() { ["code"] = host.Google.Microsoft.Approve(url, email) });
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Salesperson"));

        await ann.Page.ClickAsync("#microsoft-signin");

        await Expect(ann.Notice).ToContainTextAsync("Sign in with Microsoft worked");
        await ann.ExpectStatusAsync("Enabled");
        await Expect(ann.Page.Locator("#fact-provider")).ToHaveTextAsync("Sign in with Microsoft");
        await Expect(ann.Page.Locator("#fact-email")).ToHaveTextAsync(email);
        Assert.Equal(host.PageUrl, ann.Page.Url);
        await Screenshots.SaveAsync(ann.Page, "microsoft-sign-in");
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "back from Microsoft");

        var tokens = host.Google.Microsoft.IssuedTokens(email);
        Assert.NotEmpty(tokens);
        var everything = string.Join('\n', await ann.ResponseBodiesAsync()) + await ann.EverythingShownAsync();
        Assert.All(tokens, token => Assert.DoesNotContain(token, everything));
    }

    [Fact]
    public async Task An_organisation_that_has_not_approved_the_app_reads_what_to_ask_its_administrator()
    {
        var company = await host.NewCompanyAsync(2, ("ann", "Salesperson"));
        await using var context = await browser.NewContextAsync();
        await PlaySignInPageAsync(context, _ => new()
        {
            ["error"] = "consent_required", ["error_description"] = "AADSTS65001: The user or administrator has not consented.",
        });
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Salesperson"));

        await ann.Page.ClickAsync("#microsoft-signin");

        await Expect(ann.Notice).ToContainTextAsync("Your Microsoft 365 administrator must approve Mail Sync");
        await Expect(ann.Notice).ToContainTextAsync("Access mailboxes via IMAP");
        await ann.ExpectStatusAsync("Not connected");
        Assert.DoesNotContain("Google", await ann.Notice.InnerTextAsync());
    }
}
