using System.Collections.Concurrent;
using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Leads;

/// <summary>Leads in process memory: the zero-dependency development mode only.</summary>
public sealed class MemoryLeadStore : ILeadStore
{
    private readonly ConcurrentDictionary<string, CompanyLeads> companies = new();

    public Task<Lead?> GetAsync(string companyId, string leadId, CancellationToken cancellationToken = default)
    {
        var company = Company(companyId);
        lock (company) return Task.FromResult(company.ById.GetValueOrDefault(leadId));
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindAsync(
        string companyId, IReadOnlyCollection<string> addressKeys, CancellationToken cancellationToken = default)
    {
        var company = Company(companyId);
        lock (company)
        {
            return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(addressKeys.Distinct()
                .Where(company.ByAddress.ContainsKey)
                .ToDictionary(key => key, key => company.ByAddress[key]));
        }
    }

    public Task<LeadChanges> UpsertAsync(string companyId, IReadOnlyList<Lead> leads, CancellationToken cancellationToken = default)
    {
        var company = Company(companyId);
        lock (company)
        {
            var upserts = leads.Select(lead => (Lead: lead, Old: company.ById.GetValueOrDefault(lead.LeadId))).ToList();
            var lists = LeadIndexEdits.For(upserts).ToDictionary(
                e => e.Key, e => LeadAddressList.Apply(company.ByAddress.GetValueOrDefault(e.Key) ?? [], e.Value));
            var full = lists.Where(l => l.Value.Count > LeadAddressList.MaxLeads).Select(l => l.Key).ToList();
            if (full.Count > 0) return Task.FromResult(LeadChanges.Refused(full));

            foreach (var (key, list) in lists)
            {
                if (list.Count == 0) company.ByAddress.Remove(key);
                else company.ByAddress[key] = list;
            }
            foreach (var lead in leads) company.ById[lead.LeadId] = lead;
            var created = upserts.Select(u => u.Old is null).ToList();
            return Task.FromResult(new LeadChanges(created, lists.Keys, LeadIndexEdits.NewlyMatched(upserts), []));
        }
    }

    public Task<LeadChanges?> RemoveAsync(string companyId, string leadId, CancellationToken cancellationToken = default)
    {
        var company = Company(companyId);
        lock (company)
        {
            if (!company.ById.Remove(leadId, out var lead)) return Task.FromResult<LeadChanges?>(null);
            var key = LeadKeys.Address(lead.Email);
            var list = LeadAddressList.Apply(company.ByAddress.GetValueOrDefault(key) ?? [], new AddressEdit([], [leadId]));
            if (list.Count == 0) company.ByAddress.Remove(key);
            else company.ByAddress[key] = list;
            return Task.FromResult<LeadChanges?>(new LeadChanges([], [key], [], []));
        }
    }

    private CompanyLeads Company(string companyId) => companies.GetOrAdd(companyId, _ => new());

    private sealed class CompanyLeads
    {
        public Dictionary<string, Lead> ById { get; } = [];
        public Dictionary<string, IReadOnlyList<string>> ByAddress { get; } = [];
    }
}
