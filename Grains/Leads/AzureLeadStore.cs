using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Leads;

/// <summary>Table <c>MailSyncLeads</c>: partition = company, row = lead id.</summary>
public sealed class AzureLeadStore(MailSyncTables tables) : ILeadStore
{
    public const string TableName = "MailSyncLeads";

    public async Task<IReadOnlyList<Lead>> LoadAsync(string companyId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var leads = new List<Lead>();
        var partition = TableKeys.Escape(companyId);
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            leads.Add(new Lead(entity.GetString("LeadId"), entity.GetString("Email"), entity.GetString("Name")));
        }
        return leads;
    }

    public async Task UpsertAsync(string companyId, IReadOnlyList<Lead> leads, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var actions = leads.Select(lead => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            new TableEntity(TableKeys.Escape(companyId), TableKeys.Escape(lead.LeadId))
            {
                ["LeadId"] = lead.LeadId, ["Email"] = lead.Email, ["Name"] = lead.Name,
            }));
        await TableBatches.SubmitAsync(table, actions, parallelism: 4, cancellationToken);
    }

    public async Task DeleteAsync(string companyId, string leadId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        await table.DeleteEntityAsync(TableKeys.Escape(companyId), TableKeys.Escape(leadId), cancellationToken: cancellationToken);
    }
}
