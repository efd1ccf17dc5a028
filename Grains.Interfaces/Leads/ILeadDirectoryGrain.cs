using Orleans.Concurrency;

namespace MailSync.Grains.Interfaces.Leads;

/// <summary>
/// The leads of one company (key: companyId), stored in their own table and held in memory by this one activation,
/// so "which of these addresses are leads" is answered without storage reads.
/// </summary>
[Alias("MailSync.ILeadDirectoryGrain")]
public interface ILeadDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the leads; returns, per lead, whether it was new.</summary>
    [Alias("Upsert")]
    Task<IReadOnlyList<bool>> Upsert(IReadOnlyList<Lead> leads);

    [Alias("Remove")]
    Task<bool> Remove(string leadId);

    [AlwaysInterleave, Alias("Get")]
    Task<Lead?> Get(string leadId);

    /// <summary>For each address that belongs to a lead (case-insensitive), the ids of those leads.</summary>
    [AlwaysInterleave, Alias("Resolve")]
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> Resolve(IReadOnlyCollection<string> addresses);
}
