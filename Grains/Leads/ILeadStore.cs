using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Leads;

/// <summary>
/// A company's leads and the index from address to leads: Azure tables, or memory in the development mode. Every read
/// is a point read by key, so its cost does not grow with the company; every write costs what its batch holds.
/// </summary>
public interface ILeadStore
{
    Task<Lead?> GetAsync(string companyId, string leadId, CancellationToken cancellationToken = default);

    /// <summary>For each address key (<see cref="LeadKeys.Address"/>) that has leads, their ids.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindAsync(
        string companyId, IReadOnlyCollection<string> addressKeys, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the leads (ids distinct). Safe to repeat after a failure part-way.</summary>
    Task<LeadChanges> UpsertAsync(string companyId, IReadOnlyList<Lead> leads, CancellationToken cancellationToken = default);

    /// <summary>Removes the lead; null when there was none.</summary>
    Task<LeadChanges?> RemoveAsync(string companyId, string leadId, CancellationToken cancellationToken = default);
}
