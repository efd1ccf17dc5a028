using Microsoft.Playwright;

namespace MailSync.BrowserTests.Infrastructure;

/// <summary>Screenshots of the page's states, saved under docs/screenshots/ of the repository for the README.</summary>
public static class Screenshots
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailSync.Orleans.sln")))
                return Directory.CreateDirectory(Path.Combine(dir.FullName, "docs", "screenshots")).FullName;
        }
        throw new InvalidOperationException("The repository root (MailSync.Orleans.sln) was not found above the test binaries.");
    });

    public static Task SaveAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder.Value, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
}
