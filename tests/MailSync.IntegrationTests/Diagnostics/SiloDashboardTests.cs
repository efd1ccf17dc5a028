using System.Net;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Diagnostics;

/// <summary>The silo host (its own process, Production, Azurite) serves the dashboard on its loopback port when configured.</summary>
[Trait("Category", "Servers")]
public sealed class SiloDashboardTests
{
    [Fact]
    public async Task A_silo_host_with_Dashboard_Port_serves_the_dashboard_of_its_cluster_on_loopback()
    {
        var port = FreePort.Next();
        await using var cluster = new SiloProcesses(new Dictionary<string, string> { ["Dashboard__Port"] = port.ToString() });
        await cluster.StartSiloAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var page = await http.GetAsync("/dashboard/");
        var counters = await Poll.UntilAsync(() => http.GetAsync("/dashboard/DashboardCounters"),
            response => response.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the silo's dashboard counters");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("totalActiveHostCount", await counters.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
