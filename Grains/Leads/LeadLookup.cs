namespace MailSync.Grains.Leads;

/// <summary>
/// Which addresses are leads: from the silo's <see cref="LeadAddressCache"/>, and point reads of the address index for
/// the rest. Runs in the caller (the mailbox's pass), so look-ups never funnel through one activation per company.
/// </summary>
public sealed class LeadLookup(ILeadStore store, LeadAddressCache cache) : ILeadResolver
{
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ResolveAsync(
        string companyId, IReadOnlyCollection<string> addresses)
    {
        var matches = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var misses = new List<(string Key, long Version, string[] Addresses)>();
        foreach (var group in addresses.GroupBy(LeadKeys.Address))
        {
            if (cache.TryGet(companyId, group.Key, out var known)) Match(matches, group, known);
            else misses.Add((group.Key, cache.Version(companyId, group.Key), [.. group]));
        }
        if (misses.Count == 0) return matches;

        var found = await store.FindAsync(companyId, [.. misses.Select(m => m.Key)]);
        foreach (var (key, version, group) in misses)
        {
            var leadIds = found.GetValueOrDefault(key) ?? [];
            cache.Add(companyId, key, leadIds, version);
            Match(matches, group, leadIds);
        }
        return matches;
    }

    private static void Match(
        Dictionary<string, IReadOnlyList<string>> matches, IEnumerable<string> addresses, IReadOnlyList<string> leadIds)
    {
        if (leadIds.Count == 0) return;
        foreach (var address in addresses) matches[address] = leadIds;
    }
}
