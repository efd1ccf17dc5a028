using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSync.BrowserTests.Infrastructure;

/// <summary>
/// The settings page in one browser tab, with every response the browser received recorded (to look for secrets in
/// them) and the locators the tests read.
/// </summary>
public sealed class SettingsPage
{
    private readonly ConcurrentQueue<Task<string>> bodies = new();

    private SettingsPage(IPage page)
    {
        Page = page;
        page.Response += (_, response) => bodies.Enqueue(BodyAsync(response));
        page.Request += (_, request) => Requests.Enqueue(request.Url);
        page.Console += (_, message) => Console.Enqueue($"{message.Type}: {message.Text}");
    }

    public IPage Page { get; }

    /// <summary>Every URL the page requested.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Console messages, where Chromium reports Content-Security-Policy violations.</summary>
    public ConcurrentQueue<string> Console { get; } = new();

    public static async Task<SettingsPage> OpenAsync(IBrowserContext context, string link)
    {
        var page = new SettingsPage(await context.NewPageAsync());
        await page.Page.GotoAsync(link);
        await Expect(page.StatusWord).Not.ToHaveTextAsync("Loading…");
        return page;
    }

    public ILocator StatusBadge => Page.Locator("#status-badge");
    public ILocator StatusWord => Page.Locator("#status-word");
    public ILocator StatusDescription => Page.Locator("#status-description");
    public ILocator StatusIcon => Page.Locator("#status-icon svg");
    public ILocator QueuePlace => Page.Locator("#queue-place");
    public ILocator Notice => Page.Locator("#notice");
    public ILocator LogEntries => Page.Locator("#log-list > li");
    public ILocator LogEmpty => Page.Locator("#log-empty");
    public ILocator CompanySection => Page.Locator("#company");
    public ILocator MailboxTitle => Page.Locator("#mailbox-title");

    public Task ExpectStatusAsync(string word) => Expect(StatusWord).ToHaveTextAsync(word);

    /// <summary>Fills the "Other IMAP server" form and submits it.</summary>
    public async Task ConnectImapAsync(string email, string username, string password, string host, int port, string security = "ssl")
    {
        if (!await Page.Locator("#imap-option").EvaluateAsync<bool>("e => e.open")) await Page.ClickAsync("#imap-option > summary");
        await Page.FillAsync("#imap-email", email);
        await Page.FillAsync("#imap-host", host);
        await Page.SelectOptionAsync("#imap-security", security);
        await Page.FillAsync("#imap-port", port.ToString());
        await Page.FillAsync("#imap-username", username);
        await Page.FillAsync("#imap-password", password);
        await Page.ClickAsync("#imap-form button[type=submit]");
    }

    /// <summary>The page's whole state as text: its DOM, its storage and the scripts it loaded, to look for secrets in.</summary>
    public async Task<string> EverythingShownAsync() =>
        await Page.ContentAsync() + await Page.EvaluateAsync<string>("() => JSON.stringify(Object.entries(localStorage))");

    /// <summary>The bodies of every response the browser received so far (redirects and failures as empty).</summary>
    public async Task<IReadOnlyList<string>> ResponseBodiesAsync() => await Task.WhenAll(bodies);

    private static async Task<string> BodyAsync(IResponse response)
    {
        try
        {
            return $"{response.Url}\n{string.Join("\n", (await response.AllHeadersAsync()).Select(h => $"{h.Key}: {h.Value}"))}\n{await response.TextAsync()}";
        }
        catch (PlaywrightException)
        {
            return response.Url; // a redirect or a navigated-away page has no body to read
        }
    }
}
