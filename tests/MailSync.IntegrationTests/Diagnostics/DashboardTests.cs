using System.Net;
using MailSync.Api.Auth;
using MailSync.IntegrationTests.Api;
using MailSync.IntegrationTests.Infrastructure;

namespace MailSync.IntegrationTests.Diagnostics;

/// <summary>The Orleans Dashboard at <c>/dashboard</c> of the API host: open in Development.</summary>
[Collection(ApiCollection.Name)]
public sealed class DashboardInDevelopmentTests(ApiFixture api)
{
    [Fact]
    public async Task In_Development_the_dashboard_page_and_its_cluster_figures_answer_without_a_token()
    {
        var page = await api.Http.GetAsync("/dashboard/");
        var counters = await api.Http.GetAsync("/dashboard/DashboardCounters");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        Assert.Contains("totalActiveHostCount", await counters.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// Outside Development the dashboard (grain state, live logs) opens to the operator's token alone: not to a company
/// user's token (403), not to the scrapers' Metrics:Key, not without credentials (401).
/// </summary>
[Trait("Category", "Servers")]
public sealed class DashboardInProductionTests(ProductionApi api) : IClassFixture<ProductionApi>
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task Outside_Development_only_the_operator_opens_the_dashboard(string path)
    {
        var anonymous = await api.GetAsync(path);
        var companyAdmin = await api.GetAsync(path, bearer: api.Token("acme", "ann", MailSyncRoles.Administrator));
        var metricsKey = await api.GetAsync(path, bearer: ProductionApi.MetricsKey);
        var metricsKeyHeader = await api.GetAsync(path, metricsKey: ProductionApi.MetricsKey);
        var asOperator = await api.GetAsync(path, bearer: api.OperatorToken());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, companyAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metricsKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metricsKeyHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
    }
}
