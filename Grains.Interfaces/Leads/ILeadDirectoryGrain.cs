namespace MailSync.Grains.Interfaces.Leads;

/// <summary>
/// A company's leads (key: companyId). A stateless worker: its activations hold nothing, so a company of a million
/// leads costs no activation its memory, and calls spread over the silos. The leads live in storage, found by point
/// reads; each silo keeps a bounded memory of address look-ups, which a write makes every silo forget before answering.
/// </summary>
[Alias("MailSync.ILeadDirectoryGrain")]
public interface ILeadDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the leads (ids distinct); returns, per lead, whether it was new.</summary>
    [Alias("Upsert")]
    Task<LeadUpsertResult> Upsert(IReadOnlyList<Lead> leads);

    [Alias("Remove")]
    Task<bool> Remove(string leadId);

    [Alias("Get")]
    Task<Lead?> Get(string leadId);

    /// <summary>For each address that belongs to a lead (case-insensitive), the ids of those leads.</summary>
    [Alias("Resolve")]
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> Resolve(IReadOnlyCollection<string> addresses);
}
