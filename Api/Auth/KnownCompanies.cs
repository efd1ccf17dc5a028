using System.Collections.Concurrent;
using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Api.Auth;

/// <summary>
/// Answers "does this company exist?" for every company-scoped request. Companies are never deleted, so a company
/// seen once is remembered and later requests skip the grain call; unknown ids are asked every time.
/// </summary>
public sealed class KnownCompanies(IClusterClient cluster)
{
    private readonly ConcurrentDictionary<string, bool> existing = new(StringComparer.Ordinal);

    public async ValueTask<bool> ExistsAsync(string companyId)
    {
        if (existing.ContainsKey(companyId)) return true;
        if (await cluster.GetGrain<ICompanyGrain>(companyId).GetProfile() is null) return false;
        existing.TryAdd(companyId, true);
        return true;
    }
}
