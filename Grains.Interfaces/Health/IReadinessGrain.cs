namespace MailSync.Grains.Interfaces.Health;

/// <summary>A grain call that succeeds only when the cluster can place and run grains: the readiness probe.</summary>
[Alias("MailSync.IReadinessGrain")]
public interface IReadinessGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task<string> Ping();
}
