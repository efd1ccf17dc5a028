using Microsoft.Playwright;

namespace MailSync.BrowserTests.Infrastructure;

/// <summary>
/// Screenshots of the page's states, saved under the git-ignored artifacts/screenshots/ of the repository (a test run never
/// changes a tracked file); <c>scripts/update-screenshots.sh</c> copies them to docs/screenshots/ for the README.
/// </summary>
public static class Screenshots
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailSync.Orleans.sln")))
                return Directory.CreateDirectory(Path.Combine(dir.FullName, "artifacts", "screenshots")).FullName;
        }
        throw new InvalidOperationException("The repository root (MailSync.Orleans.sln) was not found above the test binaries.");
    });

    public static Task SaveAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder.Value, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
}
