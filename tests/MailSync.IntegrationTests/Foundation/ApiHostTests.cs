using System.Net;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class ApiHostTests(ApiFixture api)
{
    [Fact]
    public async Task Cohosted_api_on_Kestrel_reports_live_and_then_ready()
    {
        var live = await api.Http.GetAsync("/health/live");
        // Times out (and fails) unless /health/ready answers 200 within 30 s.
        await Poll.UntilAsync(() => api.Http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("127.0.0.1", api.Http.BaseAddress!.Host);
    }

    [Fact]
    public async Task Metrics_are_served_for_Prometheus_and_count_sync_attempts_by_outcome()
    {
        var company = await api.NewCompanyAsync();
        var token = ApiFixture.Token(company, "ann", "Salesperson");
        var mailbox = $"/v1/companies/{company}/users/ann/mailbox";
        (await api.SendAsync(HttpMethod.Post, mailbox, token, ConnectBodies.Custom("ann"))).EnsureSuccessStatusCode();
        await Poll.UntilAsync(async () => await (await api.SendAsync(HttpMethod.Get, mailbox, token)).Content.ReadAsStringAsync(),
            body => body.Contains("\"status\":\"Error\"", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "attempt failed");

        // Times out (and fails) unless the attempt counter has a series for the ConnectionRefused outcome.
        var metrics = await Poll.UntilAsync(async () => await api.Http.GetStringAsync("/metrics"),
            text => text.Split('\n').Any(line => line.StartsWith("mailsync_sync_attempts_total{", StringComparison.Ordinal) &&
                line.Contains("outcome=\"ConnectionRefused\"", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "ConnectionRefused attempts exported");

        Assert.Contains("http_server_request_duration_seconds", metrics);
    }
}
