using MailSync.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.Company;

/// <summary>The never-log lists and the colleagues rule on the settings page, in a real browser.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Servers")]
public sealed class NeverLogPageTests(PageHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_administrator_edits_the_companys_never_log_list_and_its_own_domains()
    {
        var company = await host.NewCompanyAsync(1, ("ada", "Administrator"));
        await using var context = await browser.NewContextAsync();
        var ada = await SettingsPage.OpenAsync(context, host.PageLink(company, "ada", "Administrator"));
        var list = ada.Page.Locator("#company-never-log-list > li");
        await Expect(ada.Page.Locator("#company-never-log-empty")).ToBeVisibleAsync();

        await ada.Page.FillAsync("#company-never-log-value", "not an address");
        await ada.Page.ClickAsync("#company-never-log-form button[type=submit]");
        await Expect(ada.Page.Locator("#company-never-log-error")).ToContainTextAsync("must be an email address");
        await Expect(ada.Page.Locator("#company-never-log-value")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(list).ToHaveCountAsync(0);

        await ada.Page.FillAsync("#company-never-log-value", " Spam.Example ");
        await ada.Page.PressAsync("#company-never-log-value", "Enter");
        await Expect(list).ToHaveCountAsync(1);
        await Expect(list.First).ToContainTextAsync("spam.example");
        await Expect(list.First).ToContainTextAsync("whole domain");
        await Expect(ada.Page.Locator("#company-never-log-error")).ToBeEmptyAsync();
        await Expect(ada.Page.Locator("#company-never-log-value")).ToBeEmptyAsync();

        await ada.Page.FillAsync("#internal-domains", "acme-group.example\nbad@domain.example");
        await ada.Page.ClickAsync("#internal-form button[type=submit]");
        await Expect(ada.Page.Locator("#internal-error")).ToContainTextAsync("“bad@domain.example” must be a domain");
        await ada.Page.FillAsync("#internal-domains", "acme-group.example\nEU.Acme-Group.Example");
        await ada.Page.ClickAsync("#internal-form button[type=submit]");
        await Expect(ada.Page.Locator("#internal-saved")).ToHaveTextAsync("Saved.");
        await Screenshots.SaveAsync(ada.Page, "never-log");
        await Accessibility.AssertNoSeriousViolationsAsync(ada.Page, "the never-log lists");

        var again = await SettingsPage.OpenAsync(context, host.PageLink(company, "ada", "Administrator"));
        await Expect(again.Page.Locator("#internal-domains")).ToHaveValueAsync("acme-group.example\neu.acme-group.example");
        await Expect(again.Page.Locator("#company-never-log-list > li")).ToHaveCountAsync(1);
        await again.Page.Locator("#company-never-log-list button", new() { HasText = "Remove" }).ClickAsync();
        await Expect(again.Page.Locator("#company-never-log-list > li")).ToHaveCountAsync(0);
        await Expect(again.Page.Locator("#company-never-log-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_salesperson_keeps_a_private_contact_out_of_the_crm_without_seeing_the_companys_list()
    {
        var company = await host.NewCompanyAsync(1, ("sam", "Salesperson"));
        await using var context = await browser.NewContextAsync();
        var sam = await SettingsPage.OpenAsync(context, host.PageLink(company, "sam", "Salesperson"));

        await sam.Page.FillAsync("#user-never-log-value", "Mum@Family.Example");
        await sam.Page.ClickAsync("#user-never-log-form button[type=submit]");

        var list = sam.Page.Locator("#user-never-log-list > li");
        await Expect(list).ToHaveCountAsync(1);
        await Expect(list.First).ToContainTextAsync("mum@family.example");
        await Expect(list.First).ToContainTextAsync("address");
        await Expect(sam.CompanySection).ToBeHiddenAsync();
        Assert.DoesNotContain(sam.Requests, url => url.Contains("/v1/", StringComparison.Ordinal) && url.EndsWith("/never-log", StringComparison.Ordinal)
            && !url.Contains("/users/sam/", StringComparison.Ordinal));
    }
}
