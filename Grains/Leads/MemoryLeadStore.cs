using System.Collections.Concurrent;
using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Leads;

/// <summary>Leads in process memory: the zero-dependency development mode only.</summary>
public sealed class MemoryLeadStore : ILeadStore
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Lead>> companies = new();

    public Task<IReadOnlyList<Lead>> LoadAsync(string companyId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Lead>>([.. Company(companyId).Values]);

    public Task UpsertAsync(string companyId, IReadOnlyList<Lead> leads, CancellationToken cancellationToken = default)
    {
        foreach (var lead in leads) Company(companyId)[lead.LeadId] = lead;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string companyId, string leadId, CancellationToken cancellationToken = default)
    {
        Company(companyId).TryRemove(leadId, out _);
        return Task.CompletedTask;
    }

    private ConcurrentDictionary<string, Lead> Company(string companyId) => companies.GetOrAdd(companyId, _ => new());
}
