using Microsoft.Playwright;

namespace MailSync.BrowserTests.Infrastructure;

/// <summary>
/// One headless Chromium per test class (each test opens a fresh context: its own cookies and sessionStorage). Debian's
/// <c>chromium</c> package, installed by <c>scripts/test-deps.sh</c>; Playwright's own browser download is never used.
/// <c>MAILSYNC_TEST_CHROMIUM</c> points elsewhere if needed.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("MAILSYNC_TEST_CHROMIUM") is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";

    private IPlaywright playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}. Run `scripts/test-deps.sh install` (Debian package chromium).");
        // Locator assertions wait this long for the page to show what they expect (the page refreshes every 3 s).
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh browser context: a viewer in India (a time zone with a half hour, so a wrong zone shows), British English.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1100, int height = 900) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = width, Height = height },
        TimezoneId = Viewer.TimeZoneId,
        Locale = "en-GB",
    });

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}

/// <summary>Where the tests' viewer sits.</summary>
public static class Viewer
{
    public const string TimeZoneId = "Asia/Kolkata";

    public static DateTimeOffset LocalTime(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId));
}
