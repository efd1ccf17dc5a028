using MailSync.Grains.Interfaces.Health;
using Orleans.Concurrency;

namespace MailSync.Grains.Health;

[StatelessWorker]
public sealed class ReadinessGrain : Grain, IReadinessGrain
{
    public Task<string> Ping() => Task.FromResult(RuntimeIdentity);
}
