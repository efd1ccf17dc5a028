using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Leads;

/// <summary>Loads a company's leads once per activation and answers address look-ups from memory.</summary>
public sealed class LeadDirectoryGrain(ILeadStore store) : Grain, ILeadDirectoryGrain
{
    private Dictionary<string, Lead> byId = [];
    private Dictionary<string, IReadOnlyList<string>> byAddress = new(StringComparer.OrdinalIgnoreCase);

    private string CompanyId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        byId = (await store.LoadAsync(CompanyId, cancellationToken)).ToDictionary(l => l.LeadId);
        Reindex();
    }

    public async Task<IReadOnlyList<bool>> Upsert(IReadOnlyList<Lead> leads)
    {
        await store.UpsertAsync(CompanyId, leads);
        var created = leads.Select(lead => !byId.ContainsKey(lead.LeadId)).ToArray();
        foreach (var lead in leads) byId[lead.LeadId] = lead;
        Reindex();
        return created;
    }

    public async Task<bool> Remove(string leadId)
    {
        if (!byId.ContainsKey(leadId)) return false;
        await store.DeleteAsync(CompanyId, leadId);
        byId.Remove(leadId);
        Reindex();
        return true;
    }

    public Task<Lead?> Get(string leadId) => Task.FromResult(byId.GetValueOrDefault(leadId));

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> Resolve(IReadOnlyCollection<string> addresses)
    {
        var matches = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var address in addresses)
        {
            if (byAddress.TryGetValue(address, out var leads)) matches[address] = leads;
        }
        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(matches);
    }

    private void Reindex() =>
        byAddress = byId.Values
            .GroupBy(l => l.Email, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<string>)[.. g.Select(l => l.LeadId).Order(StringComparer.Ordinal)],
                StringComparer.OrdinalIgnoreCase);
}
