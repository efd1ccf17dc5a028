using MailSync.Shared.Diagnostics;

namespace MailSync.Api.Diagnostics;

/// <summary>
/// Which requests become exported spans: not the probes and scrapes (health, metrics) nor the dashboard's own polling
/// (every second per open page), which would bury the traces of the API.
/// </summary>
public static class TracedRequests
{
    public static bool Include(HttpContext context)
    {
        var path = context.Request.Path;
        return !path.StartsWithSegments("/health") && !path.StartsWithSegments("/metrics") &&
            !path.StartsWithSegments(DashboardSettings.Path);
    }
}
