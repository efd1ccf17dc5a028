using MailSync.BrowserTests.Infrastructure;
using MailSync.Testing;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.Mailbox;

/// <summary>Connecting through the page: the error log a wrong password leaves, live recovery, and bad input at its field.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Servers")]
public sealed class ConnectTests(PageHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_wrong_password_logs_when_what_and_how_to_fix_and_the_right_one_turns_green_without_a_reload()
    {
        var company = await host.NewCompanyAsync(2, ("ann", "Salesperson"));
        var (user, password) = Dovecot.CreateUser("ann");
        const string wrongPassword = "wrong-Passw0rd-for-the-test";
        await using var context = await browser.NewContextAsync();
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Salesperson"));
        // Set only by this test: a reload would lose it.
        await ann.Page.EvaluateAsync("() => { window.sameDocument = true; }");

        var before = host.Time.GetUtcNow();
        await ann.ConnectImapAsync(Dovecot.Address(user), user, wrongPassword, "127.0.0.1", TestServices.Current.ImapsPort);
        await Expect(ann.Page.Locator("#imap-password")).ToHaveValueAsync("");
        await ann.ExpectStatusAsync("Error");

        var entry = ann.LogEntries.First;
        await Expect(entry).ToContainTextAsync("What happened: The mail server rejected the username or password.");
        await Expect(entry).ToContainTextAsync("How to fix: Check the username and password");
        var time = entry.Locator("time");
        var instant = DateTimeOffset.Parse(await time.GetAttributeAsync("datetime") ?? "");
        Assert.Equal(await time.GetAttributeAsync("datetime"), await time.GetAttributeAsync("title"));
        Assert.InRange(instant, before, host.Time.GetUtcNow()); // the mail-sync clock (a fake that other tests move)
        // Shown in the viewer's own time zone (India, UTC+05:30), not the server's or UTC.
        Assert.Contains(Viewer.LocalTime(instant).ToString("HH:mm:ss"), await time.TextContentAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "after a wrong password");

        host.Time.Advance(TimeSpan.FromSeconds(1)); // past the connect cooldown (on the mail-sync clock)
        await ann.ConnectImapAsync(Dovecot.Address(user), user, password, "127.0.0.1", TestServices.Current.ImapsPort);
        await ann.ExpectStatusAsync("Enabled");
        Assert.True(await ann.Page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");
        await Expect(ann.LogEntries).ToHaveCountAsync(1); // the history stays

        // Neither password is anywhere in the page, its storage or any answer the browser got.
        var everything = string.Join('\n', await ann.ResponseBodiesAsync()) + await ann.EverythingShownAsync();
        Assert.DoesNotContain(password, everything);
        Assert.DoesNotContain(wrongPassword, everything);
        Assert.DoesNotContain(ann.Requests, url => url.Contains("token=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_problem_the_server_finds_is_shown_at_its_field_and_connects_nothing()
    {
        var company = await host.NewCompanyAsync(2, ("ann", "Salesperson"));
        await using var context = await browser.NewContextAsync();
        var ann = await SettingsPage.OpenAsync(context, host.PageLink(company, "ann", "Salesperson"));

        await ann.ConnectImapAsync("not-an-address", "ann", "secret-typed-once", "127.0.0.1", 70000);

        var port = ann.Page.Locator("#imap-port");
        await Expect(ann.Page.Locator("#imap-port-error")).ToContainTextAsync("Port");
        await Expect(port).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Contains("imap-port-error", await port.GetAttributeAsync("aria-describedby") ?? "");
        await Expect(ann.Page.Locator("#imap-email-error")).ToContainTextAsync("Email address");
        await Expect(ann.Page.Locator("#imap-email")).ToBeFocusedAsync(); // the first field with a problem
        await Expect(ann.Page.Locator("#imap-host")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ann.Page.Locator("#imap-password")).ToHaveValueAsync("");
        await Accessibility.AssertNoSeriousViolationsAsync(ann.Page, "showing field errors");

        Assert.Equal("NotConfigured", (await host.MailboxAsync(company, "ann")).GetProperty("status").GetString());
        await ann.ExpectStatusAsync("Not connected");
    }
}
