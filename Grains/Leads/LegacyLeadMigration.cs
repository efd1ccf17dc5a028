using System.Collections.Concurrent;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Leads;

/// <summary>
/// Leads stored before the address index (table <c>MailSyncLeads</c>, one partition per company) move into the new
/// tables the first time this process touches the company: copied in pages through the ordinary upsert, then deleted,
/// then a marker row says it is done. Later touches cost nothing (remembered per process); the first per process costs
/// one point read of the marker. Two silos migrating at once write the same rows twice, which is harmless.
/// </summary>
public sealed class LegacyLeadMigration(MailSyncTables tables, AzureLeadStore store)
{
    public const string LegacyTable = "MailSyncLeads";
    private const string MarkerRow = "legacy-leads-moved";
    private const int PageSize = 500;

    private readonly ConcurrentDictionary<string, Lazy<Task>> companies = new();

    public async Task EnsureAsync(string companyId, CancellationToken cancellationToken)
    {
        var migration = companies.GetOrAdd(companyId, id => new Lazy<Task>(() => MigrateAsync(id)));
        try
        {
            await migration.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (migration.Value.IsFaulted)
        {
            companies.TryRemove(new KeyValuePair<string, Lazy<Task>>(companyId, migration));
            throw;
        }
    }

    private async Task MigrateAsync(string companyId)
    {
        var rows = await tables.GetAsync(AzureLeadStore.LeadsTable);
        var marker = MarkerPartition(companyId);
        if ((await rows.GetEntityIfExistsAsync<TableEntity>(marker, MarkerRow, ["PartitionKey"])).HasValue) return;

        var legacy = await tables.GetAsync(LegacyTable);
        var partition = TableKeys.Escape(companyId);
        await foreach (var page in legacy.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: PageSize).AsPages())
        {
            var leads = page.Values.Select(e => new Lead(e.GetString("LeadId"), e.GetString("Email"), e.GetString("Name"))).ToList();
            if (leads.Count == 0) continue;
            await store.UpsertStoredAsync(companyId, leads, CancellationToken.None);
            await TableBatches.SubmitAsync(legacy, page.Values.Select(e =>
                new TableTransactionAction(TableTransactionActionType.Delete, e, Azure.ETag.All)), parallelism: 4, CancellationToken.None);
        }
        await rows.UpsertEntityAsync(new TableEntity(marker, MarkerRow));
    }

    private static string MarkerPartition(string companyId) => $"{TableKeys.Escape(companyId)}{TableKeys.Separator}m";
}
