using MailSync.BrowserTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.Page;

/// <summary>The page by keyboard alone, on a 360 px wide phone screen.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Servers")]
public sealed class KeyboardAndSmallScreenTests(PageHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus (at most 40 times).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector)) return;
        }
        throw new InvalidOperationException($"{selector} was not reached with the Tab key");
    }

    private static Task<bool> FitsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    [Fact]
    public async Task Keyboard_alone_connects_and_disconnects_at_360_px_wide()
    {
        var company = await host.NewCompanyAsync(1, ("ann", "Administrator"));
        var (user, password) = Dovecot.CreateUser("ann");
        await using var context = await browser.NewContextAsync(width: 360, height: 740);
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Administrator"));
        var page = ann.Page;
        await Expect(page.Locator("#seats-text")).ToContainTextAsync("Seats used: 0 of 1");
        Assert.True(await FitsAsync(page), "the page scrolls sideways at 360 px");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "at 360 px, not connected");

        await TabToAsync(page, "#imap-option > summary");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(Dovecot.Address(user)); // email
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("127.0.0.1"); // IMAP server
        await page.Keyboard.PressAsync("Tab"); // security stays SSL/TLS
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("ControlOrMeta+A");
        await page.Keyboard.TypeAsync(TestServices.Current.ImapsPort.ToString());
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(user);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");

        await ann.ExpectStatusAsync("Enabled");
        await Expect(ann.MailboxTitle).ToBeFocusedAsync(); // focus follows the result, not lost on the page's start
        Assert.True(await FitsAsync(page), "the page scrolls sideways at 360 px when Enabled");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "at 360 px, Enabled");

        // Escape closes the confirmation without doing anything.
        await TabToAsync(page, "#disconnect");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#disconnect-dialog")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#disconnect-dialog")).ToBeHiddenAsync();
        await ann.ExpectStatusAsync("Enabled");

        await page.Locator("#disconnect").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#disconnect-dialog input[value=true]")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown"); // remove the recorded emails too
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#disconnect-dialog button[type=submit]")).ToBeFocusedAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "confirming the disconnect");
        await page.Keyboard.PressAsync("Enter");

        await ann.ExpectStatusAsync("Not connected");
        await Expect(ann.Notice).ToContainTextAsync("emails it recorded are being removed");
        Assert.Contains(ann.Requests, url => url.Contains("/mailbox?keepHistory=false", StringComparison.Ordinal));
    }
}
