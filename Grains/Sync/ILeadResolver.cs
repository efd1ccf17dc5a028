using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Sync;

/// <summary>Answers, for a batch of addresses, which belong to leads of the company.</summary>
public interface ILeadResolver
{
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ResolveAsync(string companyId, IReadOnlyCollection<string> addresses);
}

/// <summary>Through the company's lead directory grain: one call per batch.</summary>
public sealed class GrainLeadResolver(IGrainFactory grains) : ILeadResolver
{
    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ResolveAsync(string companyId, IReadOnlyCollection<string> addresses) =>
        grains.GetGrain<ILeadDirectoryGrain>(companyId).Resolve(addresses);
}
