using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Leads;

/// <summary>Where a company's leads are kept: an Azure table, or memory in the development mode.</summary>
public interface ILeadStore
{
    Task<IReadOnlyList<Lead>> LoadAsync(string companyId, CancellationToken cancellationToken = default);

    Task UpsertAsync(string companyId, IReadOnlyList<Lead> leads, CancellationToken cancellationToken = default);

    Task DeleteAsync(string companyId, string leadId, CancellationToken cancellationToken = default);
}
