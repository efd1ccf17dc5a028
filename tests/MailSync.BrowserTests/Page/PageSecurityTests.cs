using MailSync.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.Page;

/// <summary>How the page is served and how it handles the user's token.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Servers")]
public sealed class PageSecurityTests(PageHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
                                  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [Fact]
    public async Task The_page_and_its_files_carry_a_strict_policy_and_the_token_leaves_only_in_the_Authorization_header()
    {
        var company = await host.NewCompanyAsync(1, ("ann", "Salesperson"));
        var token = PageHost.Token(company, "ann", "Salesperson");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        var requests = new List<Microsoft.Playwright.IRequest>();
        var console = new List<string>();
        page.Response += (_, r) => responses.Add(r);
        page.Request += (_, r) => requests.Add(r);
        page.Console += (_, m) => console.Add(m.Text);

        // The CRM may link to the host's root: it sends the browser on to the page, the fragment with it.
        await page.GotoAsync($"{host.BaseUrl}/#token={token}");
        await Expect(page.Locator("#status-word")).ToHaveTextAsync("Not connected");

        Assert.Equal(host.PageUrl, page.Url); // the token is gone from the address bar and the history
        var own = responses.Where(r => r.Url.StartsWith(host.BaseUrl, StringComparison.Ordinal) && !r.Url.Contains("/v1/", StringComparison.Ordinal)
                                                                                                 && r.Status == 200).ToList();
        Assert.Contains(own, r => r.Url.EndsWith("/app.js", StringComparison.Ordinal));
        Assert.Contains(own, r => r.Url.EndsWith(".css", StringComparison.Ordinal));
        foreach (var response in own)
        {
            var headers = await response.AllHeadersAsync();
            Assert.Equal(Policy, headers["content-security-policy"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            Assert.Equal("no-referrer", headers["referrer-policy"]);
        }
        Assert.DoesNotContain(requests, r => r.Url.Contains(token, StringComparison.Ordinal));
        var apiCalls = requests.Where(r => r.Url.Contains("/v1/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(apiCalls);
        foreach (var call in apiCalls) Assert.Equal($"Bearer {token}", (await call.AllHeadersAsync())["authorization"]);
        Assert.DoesNotContain(console, line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));

        // A reload of the tab keeps working: the token stays in this tab's sessionStorage, not in the address.
        await page.ReloadAsync();
        await Expect(page.Locator("#status-word")).ToHaveTextAsync("Not connected");
    }

    [Fact]
    public async Task Without_a_valid_token_the_page_says_where_to_open_it_from()
    {
        var company = await host.NewCompanyAsync(1, ("ann", "Salesperson"));
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(host.PageUrl);
        await Expect(page.Locator("#fatal")).ToContainTextAsync("Open Mail Sync from the CRM");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "without a token");

        // A token the server refuses (signed with another key): the page says so and stops asking.
        static string Part(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var forged = Part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." +
                     Part($"{{\"sub\":\"ann\",\"company\":\"{company}\",\"role\":\"Administrator\"}}") + ".c2ln";
        await page.GotoAsync($"{host.PageUrl}#token={forged}");
        await page.ReloadAsync();
        await Expect(page.Locator("#fatal")).ToContainTextAsync("expired or is not valid");
    }

    [Fact]
    public async Task A_link_with_someone_elses_token_changes_who_you_are_only_once_you_confirm_seeing_both()
    {
        var acme = await host.NewCompanyAsync(1, ("ann", "Salesperson"));
        var other = await host.NewCompanyAsync(1, ("eve", "Administrator"));
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.PageLink(acme, "ann", "Salesperson"));
        await Expect(page.Locator("#who")).ToContainTextAsync($"ann (Salesperson) · company {acme}");

        // Someone sends eve's link; ann opens it in this tab, then in a new tab of the same browser.
        foreach (var tab in new[] { page, await context.NewPageAsync() })
        {
            await tab.GotoAsync("about:blank");
            await tab.GotoAsync(host.PageLink(other, "eve", "Administrator"));
            var dialog = tab.Locator("#switch");
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(dialog).ToContainTextAsync($"as ann"); // the tab's token, or the browser's last identity
            await Expect(dialog).ToContainTextAsync($"company {acme}.");
            await Expect(dialog).ToContainTextAsync($"signs in as eve (Administrator) · company {other}");
            Assert.DoesNotContain("token", tab.Url, StringComparison.Ordinal);
            await Expect(tab.Locator("#switch-stay")).ToBeFocusedAsync();
            await tab.Locator("#switch-stay").ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
        }
        await page.ReloadAsync();
        await Expect(page.Locator("#who")).ToContainTextAsync("ann (Salesperson)"); // staying kept ann

        await page.GotoAsync("about:blank");
        await page.GotoAsync(host.PageLink(other, "eve", "Administrator"));
        await page.Locator("#switch-go").ClickAsync();

        await Expect(page.Locator("#who")).ToContainTextAsync($"eve (Administrator) · company {other}");
        await Expect(page.Locator("#switch")).ToBeHiddenAsync();
    }
}
