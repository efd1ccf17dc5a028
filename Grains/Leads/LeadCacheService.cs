using MailSync.Grains.Interfaces.Leads;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace MailSync.Grains.Leads;

/// <summary>Runs on every silo: forgets what the silo's <see cref="LeadAddressCache"/> knows of changed addresses.</summary>
[Reentrant]
public sealed class LeadCacheService(GrainId grainId, Silo silo, ILoggerFactory loggerFactory, LeadAddressCache cache)
    : GrainService(grainId, silo, loggerFactory), ILeadCacheService
{
    public Task Forget(string companyId, IReadOnlyList<string> addressKeys)
    {
        cache.Forget(companyId, addressKeys);
        return Task.CompletedTask;
    }
}
