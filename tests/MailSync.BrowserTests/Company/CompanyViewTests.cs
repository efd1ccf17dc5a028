using MailSync.BrowserTests.Infrastructure;
using MailSync.Testing;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.Company;

/// <summary>Who sees the company, and what an administrator sees and does there.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Servers")]
public sealed class CompanyViewTests(PageHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static object ClosedPort(string user) => new
    {
        provider = "custom", email = $"{user}@acme.test", username = user, password = $"{user}-password",
        imap = new { host = "127.0.0.1", port = FreePort.Next(), security = "ssl" },
    };

    private static object DovecotMailbox(string user, string password) => new
    {
        provider = "custom", email = Dovecot.Address(user), username = user, password,
        imap = new { host = "127.0.0.1", port = TestServices.Current.ImapsPort, security = "ssl" },
    };

    [Fact]
    public async Task A_Jr_Salesperson_sees_only_their_own_mailbox()
    {
        var company = await host.NewCompanyAsync(1, ("jim", "JrSalesperson"), ("bob", "Salesperson"));
        await host.ConnectAsync(company, "bob", ClosedPort("bob"));
        await using var context = await browser.NewContextAsync();

        var jim = await SettingsPage.OpenAsync(context, host.PageLink(company, "jim", "JrSalesperson"));

        await Expect(jim.Page.Locator("#who")).ToContainTextAsync("jim (Jr. Salesperson)");
        await Expect(jim.MailboxTitle).ToHaveTextAsync("My mailbox");
        await Expect(jim.CompanySection).ToBeHiddenAsync();
        await Expect(jim.Page.Locator("#back-to-mine")).ToBeHiddenAsync();
        Assert.DoesNotContain("bob", await jim.Page.Locator("body").InnerTextAsync());
        // The page does not even ask for the company's data (the API would refuse it anyway).
        Assert.DoesNotContain(jim.Requests, url => url.Contains("/v1/", StringComparison.Ordinal) && url.Contains("/mail-sync", StringComparison.Ordinal));
        Assert.All(jim.Requests.Where(url => url.Contains("/v1/", StringComparison.Ordinal)), url => Assert.Contains("/users/jim/", url));
        await Accessibility.AssertNoSeriousViolationsAsync(jim.Page, "a Jr. Salesperson's view");
    }

    [Fact]
    public async Task An_administrator_sees_seats_the_queue_every_user_in_colour_and_the_company_log_and_acts_for_a_user()
    {
        var company = await host.NewCompanyAsync(1, ("ada", "Administrator"), ("bob", "Salesperson"), ("carl", "Salesperson"), ("dan", "SalesManager"));
        await host.ConnectAsync(company, "bob", ClosedPort("bob")); // holds the only seat, failing
        await host.ConnectAsync(company, "carl", ClosedPort("carl")); // waits
        await Poll.UntilAsync(() => host.MailboxAsync(company, "bob"), m => m.GetProperty("status").GetString() == "Error",
            TimeSpan.FromSeconds(20), "bob in Error");
        await using var context = await browser.NewContextAsync();

        var ada = await SettingsPage.OpenAsync(context, host.PageLink(company, "ada", "Administrator"));

        await Expect(ada.CompanySection).ToBeVisibleAsync();
        await Expect(ada.Page.Locator("#seats-text")).ToContainTextAsync("Seats used: 1 of 1");
        await Expect(ada.Page.Locator("#queue-list li")).ToHaveTextAsync(["carl"]);
        var users = ada.Page.Locator("#user-list > li");
        await Expect(users.Filter(new() { HasText = "bob" }).Locator(".badge")).ToHaveTextAsync("Error");
        await Expect(users.Filter(new() { HasText = "carl" }).Locator(".badge")).ToHaveTextAsync("Pending");
        await Expect(users.Filter(new() { HasText = "dan" }).Locator(".badge")).ToHaveTextAsync("Not connected");
        var companyLog = ada.Page.Locator("#company-log > li");
        await Expect(companyLog.First).ToContainTextAsync("User bob");
        await Expect(companyLog.First).ToContainTextAsync("The mail server refused the connection.");
        await Screenshots.SaveAsync(ada.Page, "company-view");
        await Accessibility.AssertNoSeriousViolationsAsync(ada.Page, "the company view");

        // The server filters: only the users in Error.
        await ada.Page.SelectOptionAsync("#user-filter", "Error");
        await Expect(users).ToHaveCountAsync(1);
        await Expect(users.First).ToContainTextAsync("bob");
        await ada.Page.SelectOptionAsync("#user-filter", "");
        await Expect(users).ToHaveCountAsync(4);

        // Open Bob from the company log: his mailbox, his log.
        await companyLog.First.Locator("button[data-user=bob]").ClickAsync();
        await Expect(ada.MailboxTitle).ToHaveTextAsync("Mailbox of bob");
        await Expect(ada.MailboxTitle).ToBeFocusedAsync();
        await ada.ExpectStatusAsync("Error");
        await Expect(ada.LogEntries.First).ToContainTextAsync("The mail server refused the connection.");

        // Connect Dan on his behalf: he queues behind Carl.
        await users.Filter(new() { HasText = "dan" }).Locator("button").ClickAsync();
        await Expect(ada.MailboxTitle).ToHaveTextAsync("Mailbox of dan");
        await ada.ExpectStatusAsync("Not connected");
        await Expect(ada.Page.Locator("#connect-intro")).ToContainTextAsync("on their behalf");
        var (user, password) = Dovecot.CreateUser("dan");
        await ada.ConnectImapAsync(Dovecot.Address(user), user, password, "127.0.0.1", TestServices.Current.ImapsPort);
        await ada.ExpectStatusAsync("Pending");
        await Expect(ada.QueuePlace).ToHaveTextAsync("Number 2 in the queue for a seat.");
        await Expect(ada.Page.Locator("#queue-list li")).ToHaveTextAsync(["carl", "dan"]);
        Assert.Equal("Pending", (await host.MailboxAsync(company, "dan")).GetProperty("status").GetString());

        await ada.Page.ClickAsync("#back-to-mine");
        await Expect(ada.MailboxTitle).ToHaveTextAsync("My mailbox");
        await ada.ExpectStatusAsync("Not connected");
    }

    [Fact]
    public async Task A_Pending_user_sees_the_queue_and_turns_Enabled_live_when_the_limit_is_raised()
    {
        var company = await host.NewCompanyAsync(0, ("ada", "Administrator"), ("bob", "Salesperson"));
        var (user, password) = Dovecot.CreateUser("bob");
        await host.ConnectAsync(company, "bob", DovecotMailbox(user, password));
        await using var bobContext = await browser.NewContextAsync();
        await using var adaContext = await browser.NewContextAsync();
        var bob = await SettingsPage.OpenAsync(bobContext, host.PageLink(company, "bob", "Salesperson"));
        var ada = await SettingsPage.OpenAsync(adaContext, host.PageLink(company, "ada", "Administrator"));
        await bob.Page.EvaluateAsync("() => { window.sameDocument = true; }");

        await bob.ExpectStatusAsync("Pending");
        await Expect(bob.QueuePlace).ToHaveTextAsync("Next in the queue: this mailbox gets the next free seat.");
        await Expect(ada.Page.Locator("#queue-list li")).ToHaveTextAsync(["bob"]);
        await Expect(ada.Page.Locator("#seats-text")).ToContainTextAsync("Seats used: 0 of 0");

        await host.SetLimitAsync(company, 1);

        // Both pages follow by themselves: no reload, no click.
        await bob.ExpectStatusAsync("Enabled");
        await Expect(bob.QueuePlace).ToBeHiddenAsync();
        await Expect(bob.Page.Locator("#announcer")).ToContainTextAsync("Mailbox status is now Enabled");
        Assert.True(await bob.Page.EvaluateAsync<bool>("() => window.sameDocument === true"), "Bob's page was reloaded");
        await Expect(ada.Page.Locator("#queue-empty")).ToBeVisibleAsync();
        await Expect(ada.Page.Locator("#seats-text")).ToContainTextAsync("Seats used: 1 of 1");
        await Expect(ada.Page.Locator("#user-list > li").Filter(new() { HasText = "bob" }).Locator(".badge")).ToHaveTextAsync("Enabled");
    }

    [Fact]
    public async Task The_users_list_pages_through_the_company_on_the_server_and_keeps_keyboard_focus()
    {
        var users = Enumerable.Range(1, 30).Select(i => ($"user{i:D2}", "Salesperson")).Prepend(("ada", "Administrator")).ToArray();
        var company = await host.NewCompanyAsync(1, users);
        await using var context = await browser.NewContextAsync();
        var ada = await SettingsPage.OpenAsync(context, host.PageLink(company, "ada", "Administrator"));
        var list = ada.Page.Locator("#user-list > li");

        await Expect(list).ToHaveCountAsync(25);
        await Expect(ada.Page.Locator("#users-prev")).ToBeDisabledAsync();
        await ada.Page.Locator("#users-next").FocusAsync();
        await ada.Page.Keyboard.PressAsync("Enter");

        await Expect(list).ToHaveCountAsync(6);
        await Expect(ada.Page.Locator("#users-page")).ToHaveTextAsync("Page 2");
        await Expect(ada.Page.Locator("#users-next")).ToBeDisabledAsync();
        await Expect(ada.Page.Locator("#users-prev")).ToBeFocusedAsync(); // not dropped to the page's start
        var seen = (await ada.Page.Locator("#user-list > li").AllInnerTextsAsync()).Select(t => t.Split('\n')[0]).ToList();

        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(list).ToHaveCountAsync(25);
        var first = (await list.AllInnerTextsAsync()).Select(t => t.Split('\n')[0]).ToList();
        Assert.Equal(31, first.Concat(seen).Distinct().Count()); // every user once over the two pages
    }
}
