using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MailSync.BrowserTests.Infrastructure;

/// <summary>axe-core on the page as it is now: no serious or critical violation.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string state)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(serious.Count == 0, $"axe found serious or critical violations when {state}:\n{string.Join("\n", serious)}");
    }
}
