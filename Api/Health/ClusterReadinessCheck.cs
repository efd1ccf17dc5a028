using MailSync.Grains.Interfaces.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MailSync.Api.Health;

/// <summary>Ready only once a real grain call round-trips through the cluster.</summary>
public sealed class ClusterReadinessCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silo = await cluster.GetGrain<IReadinessGrain>(0).Ping().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"grain call answered by {silo}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the Orleans cluster does not answer grain calls yet", e);
        }
    }
}
