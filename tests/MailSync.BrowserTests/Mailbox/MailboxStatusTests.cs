using MailSync.BrowserTests.Infrastructure;
using MailSync.Testing;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.Mailbox;

/// <summary>The five statuses as a user sees them: colour, word, icon and description, each reached for real.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Servers")]
public sealed class MailboxStatusTests(PageHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task ExpectStatusAsync(SettingsPage page, string word, string color, string rgb, string description)
    {
        await page.ExpectStatusAsync(word);
        await Expect(page.StatusBadge).ToHaveAttributeAsync("data-color", color);
        await Expect(page.StatusDescription).ToContainTextAsync(description);
        await Expect(page.StatusIcon).ToBeVisibleAsync();
        Assert.Equal(rgb, await page.StatusBadge.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Equal(rgb, await page.Page.Locator("#status-card").EvaluateAsync<string>("e => getComputedStyle(e).borderLeftColor"));
    }

    [Fact]
    public async Task Each_status_shows_its_colour_word_icon_and_description()
    {
        var company = await host.NewCompanyAsync(1, ("ann", "Salesperson"), ("bob", "Salesperson"));
        await using var context = await browser.NewContextAsync();
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Salesperson"));

        await ExpectStatusAsync(ann, "Not connected", "grey", "rgb(95, 99, 104)", "No mailbox is connected.");
        await Expect(ann.LogEmpty).ToBeVisibleAsync();
        await Screenshots.SaveAsync(ann.Page, "status-not-connected");
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "not connected");

        // Error: a server nobody answers on. The page updates by itself.
        await ann.ConnectImapAsync("ann@acme.test", "ann", "any-password", "127.0.0.1", FreePort.Next());
        await ExpectStatusAsync(ann, "Error", "red", "rgb(179, 38, 30)", "The last sync attempt failed.");
        await Expect(ann.LogEntries.First).ToContainTextAsync("The mail server refused the connection.");
        await Expect(ann.Page.Locator("#fact-next time")).ToBeVisibleAsync(); // when the next retry comes
        await Screenshots.SaveAsync(ann.Page, "status-error");
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "in Error");

        // Connection Issue: two days of failures pass on the fake clock; the retry (Sync now) fails once more.
        host.Time.Advance(TimeSpan.FromHours(49));
        await ann.Page.ClickAsync("#sync-now");
        await ExpectStatusAsync(ann, "Connection Issue", "orange", "rgb(232, 113, 10)",
            "Unable to connect for two days due to errors. No longer trying to sync. Billing is off until it is fixed.");
        await Screenshots.SaveAsync(ann.Page, "status-connection-issue");
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "in Connection Issue");
        // A second retry right away is refused by the cooldown, and the page says when to try again.
        await ann.Page.ClickAsync("#sync-now");
        await Expect(ann.Page.Locator("#action-message")).ToContainTextAsync("You can sync again in");
        await Expect(ann.Page.Locator("#sync-now")).ToBeDisabledAsync();

        // Enabled: reconnect with a real Dovecot mailbox.
        var (user, password) = Dovecot.CreateUser("ann");
        await ann.Page.ClickAsync("#reconnect");
        await Expect(ann.Page.Locator("#connect-title")).ToBeFocusedAsync();
        await ann.ConnectImapAsync(Dovecot.Address(user), user, password, "127.0.0.1", TestServices.Current.ImapsPort);
        await ExpectStatusAsync(ann, "Enabled", "green", "rgb(30, 123, 52)", "Syncing works.");
        await Expect(ann.Page.Locator("#fact-last-sync time")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(ann.Page, "status-enabled");
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "Enabled");

        // Pending: Ann holds the company's only seat, so Bob waits.
        await host.ConnectAsync(company, "bob", new
        {
            provider = "custom", email = "bob@acme.test", username = "bob", password = "bob-password",
            imap = new { host = "127.0.0.1", port = TestServices.Current.ImapsPort, security = "ssl" },
        });
        await using var bobContext = await browser.NewContextAsync();
        var bob = await SettingsPage.OpenAsync(bobContext, host.PageLink(company, "bob", "Salesperson"));
        await ExpectStatusAsync(bob, "Pending", "yellow", "rgb(242, 194, 0)", "Waiting for a seat: the company's mailbox sync limit is reached.");
        await Expect(bob.Page.Locator("#fact-pending time")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(bob.Page, "status-pending");
        await Accessibility.AssertNoSeriousViolationsAsync(bob.Page, "Pending");
    }
}
