namespace MailSync.Api.Metrics;

/// <summary>
/// Configuration section <c>Metrics</c>. Framework meters cost request throughput once exported (measured: ASP.NET Core
/// hosting ~15 %, Orleans ~15 %), so they are opt-in: <c>Metrics:AdditionalMeters:0=Microsoft.AspNetCore.Hosting</c>.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Meters exported at /metrics besides the service's own <c>MailSync</c> meter.</summary>
    public List<string> AdditionalMeters { get; set; } = [];
}
