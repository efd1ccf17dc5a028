using MailSync.Api.Metrics;
using MailSync.Api.OpenApi;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace MailSync.UnitTests.Configuration;

public sealed class OperationsAccessOptionsTests
{
    private static readonly HostingEnvironment Development = new() { EnvironmentName = "Development" };
    private static readonly HostingEnvironment Production = new() { EnvironmentName = "Production" };

    [Fact]
    public void Metrics_and_the_OpenAPI_document_require_authorization_outside_Development_unless_configured()
    {
        Assert.True(new MetricsOptions().RequiresAuthorization(Production));
        Assert.False(new MetricsOptions().RequiresAuthorization(Development));
        Assert.True(new OpenApiAccessOptions().RequiresAuthorization(Production));
        Assert.False(new OpenApiAccessOptions().RequiresAuthorization(Development));

        Assert.False(new MetricsOptions { RequireAuthorization = false }.RequiresAuthorization(Production));
        Assert.True(new MetricsOptions { RequireAuthorization = true }.RequiresAuthorization(Development));
        Assert.False(new OpenApiAccessOptions { RequireAuthorization = false }.RequiresAuthorization(Production));
        Assert.True(new OpenApiAccessOptions { RequireAuthorization = true }.RequiresAuthorization(Development));
    }

    [Fact]
    public void A_metrics_key_shorter_than_32_characters_stops_the_host_naming_the_key()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Metrics:Key"] = "too-short" }).Build();

        var refused = Assert.Throws<OptionsValidationException>(() => ValidatedOptions.Read<MetricsOptions>(configuration, MetricsOptions.Section));

        Assert.Contains("Metrics: Metrics:Key must be at least 32 characters.", refused.Failures);
    }
}
