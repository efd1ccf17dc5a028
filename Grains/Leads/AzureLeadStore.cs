using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Leads;

/// <summary>
/// Two tables. <c>MailSyncLeadRows</c>: a lead by id (partition = company and a digit of the id's hash). And
/// <c>MailSyncLeadAddresses</c>: per address digest, the ids of its leads (partition = company and a digit of the
/// digest). New leads are written blind, in insert-only transactions: an import of new leads reads nothing. A lead that
/// already exists is read (its old address leaves the index), and a shared address is edited with its ETag.
/// Order makes a repeat safe after a failure part-way: the lead's row first, then the index (its address joins, its
/// old one is left), then the replaced row.
/// </summary>
public sealed class AzureLeadStore(MailSyncTables tables) : ILeadStore
{
    public const string LeadsTable = "MailSyncLeadRows";
    public const string AddressesTable = "MailSyncLeadAddresses";
    private const int Parallelism = 8;

    // A look-up is point reads only, each a few milliseconds on Azure: more of them in flight.
    private const int ReadParallelism = 16;
    private const int EditAttempts = 10;

    private LegacyLeadMigration? legacy;

    private LegacyLeadMigration Legacy => legacy ??= new LegacyLeadMigration(tables, this);

    public async Task<Lead?> GetAsync(string companyId, string leadId, CancellationToken cancellationToken = default)
    {
        await Legacy.EnsureAsync(companyId, cancellationToken);
        var row = await ReadLeadAsync(await tables.GetAsync(LeadsTable), companyId, leadId, cancellationToken);
        return row?.Lead;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindAsync(
        string companyId, IReadOnlyCollection<string> addressKeys, CancellationToken cancellationToken = default)
    {
        await Legacy.EnsureAsync(companyId, cancellationToken);
        var index = await tables.GetAsync(AddressesTable);
        var found = new ConcurrentDictionary<string, IReadOnlyList<string>>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(addressKeys.Distinct(), options, async (key, ct) =>
        {
            var row = await ReadAddressAsync(index, companyId, key, ct);
            if (row.Leads.Count > 0) found[key] = row.Leads;
        });
        return found;
    }

    public async Task<LeadChanges> UpsertAsync(string companyId, IReadOnlyList<Lead> leads, CancellationToken cancellationToken = default)
    {
        await Legacy.EnsureAsync(companyId, cancellationToken);
        return await UpsertStoredAsync(companyId, leads, cancellationToken);
    }

    public async Task<LeadChanges?> RemoveAsync(string companyId, string leadId, CancellationToken cancellationToken = default)
    {
        await Legacy.EnsureAsync(companyId, cancellationToken);
        var rows = await tables.GetAsync(LeadsTable);
        if (await ReadLeadAsync(rows, companyId, leadId, cancellationToken) is not { } stored) return null;
        var key = LeadKeys.Address(stored.Lead.Email);
        await EditAddressAsync(await tables.GetAsync(AddressesTable), companyId, key, new AddressEdit([], [leadId]), cancellationToken);
        await rows.DeleteEntityAsync(LeadKeys.LeadPartition(companyId, leadId), LeadKeys.LeadRow(leadId), ETag.All, cancellationToken);
        return new LeadChanges([], [key], [], []);
    }

    /// <summary>The upsert itself, without waiting for the company's legacy rows (their migration calls it).</summary>
    internal async Task<LeadChanges> UpsertStoredAsync(string companyId, IReadOnlyList<Lead> leads, CancellationToken cancellationToken)
    {
        var rows = await tables.GetAsync(LeadsTable);
        var index = await tables.GetAsync(AddressesTable);
        var existing = await InsertNewLeadsAsync(rows, companyId, leads, cancellationToken);
        var upserts = leads.Select(lead => (Lead: lead, Old: existing.GetValueOrDefault(lead.LeadId))).ToList();
        var edits = LeadIndexEdits.For(upserts);

        var created = leads.Where(l => !existing.ContainsKey(l.LeadId)).ToList();
        var full = await EditIndexAsync(index, companyId, edits, cancellationToken);
        if (full.Count > 0)
        {
            await UndoCreatedAsync(rows, index, companyId, created, cancellationToken);
            return LeadChanges.Refused(full);
        }

        var replaced = upserts.Where(u => u.Old is not null && u.Old != u.Lead).Select(u => ReplaceLead(companyId, u.Lead));
        await TableBatches.SubmitAsync(rows, replaced, Parallelism, cancellationToken);
        return new LeadChanges([.. upserts.Select(u => u.Old is null)], [.. edits.Keys], LeadIndexEdits.NewlyMatched(upserts), []);
    }

    /// <summary>
    /// Inserts the leads no row exists for, one insert-only transaction per partition; a transaction that meets an
    /// existing row reads its leads and inserts the missing ones again. Returns the leads that were already stored.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, Lead>> InsertNewLeadsAsync(
        TableClient rows, string companyId, IReadOnlyList<Lead> leads, CancellationToken cancellationToken)
    {
        var existing = new ConcurrentDictionary<string, Lead>();
        var byRow = leads.ToDictionary(l => LeadKeys.LeadPartition(companyId, l.LeadId) + TableKeys.Separator + LeadKeys.LeadRow(l.LeadId));
        var inserts = leads.Select(l => Insert(LeadEntity(companyId, l)));
        await Parallel.ForEachAsync(TableBatches.Transactions(inserts), Options(cancellationToken), async (batch, ct) =>
        {
            var pending = batch.Select(a => byRow[a.Entity.PartitionKey + TableKeys.Separator + a.Entity.RowKey]).ToList();
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                try
                {
                    await TableBatches.SubmitPartitionAsync(rows, [.. pending.Select(l => Insert(LeadEntity(companyId, l)))], ct);
                    return;
                }
                catch (RequestFailedException e) when (e.Status == 409 && attempt < EditAttempts)
                {
                    var stored = await Task.WhenAll(pending.Select(l => ReadLeadAsync(rows, companyId, l.LeadId, ct)));
                    foreach (var row in stored.OfType<StoredLead>()) existing[row.Lead.LeadId] = row.Lead;
                    pending = [.. pending.Where(l => !existing.ContainsKey(l.LeadId))];
                }
            }
        });
        return existing;
    }

    /// <summary>
    /// Applies the edits to the address index. Addresses that only gain leads are inserted blind, one insert-only
    /// transaction per partition; the rest (and those that turn out to exist) are read first. When an address would
    /// pass <see cref="LeadAddressList.MaxLeads"/>, nothing read is written, the blind inserts are taken back, and the
    /// full addresses are returned.
    /// </summary>
    private static async Task<IReadOnlyList<string>> EditIndexAsync(
        TableClient index, string companyId,
        IReadOnlyDictionary<string, AddressEdit> edits, CancellationToken cancellationToken)
    {
        var toRead = new ConcurrentBag<string>(edits.Where(e => e.Value.Removed.Count > 0).Select(e => e.Key));
        var inserted = new ConcurrentBag<string>();
        var blind = edits.Where(e => e.Value.Removed.Count == 0).Select(e => Insert(AddressEntity(companyId, e.Key, e.Value.Added)));
        await Parallel.ForEachAsync(TableBatches.Transactions(blind), Options(cancellationToken), async (batch, ct) =>
        {
            var keys = batch.Select(a => a.Entity.RowKey).ToList();
            try
            {
                await TableBatches.SubmitPartitionAsync(index, batch, ct);
                foreach (var key in keys) inserted.Add(key);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                foreach (var key in keys) toRead.Add(key);
            }
        });

        var current = new ConcurrentDictionary<string, StoredAddress>();
        await Parallel.ForEachAsync(toRead, Options(cancellationToken), async (key, ct) =>
            current[key] = await ReadAddressAsync(index, companyId, key, ct));
        var full = current
            .Where(c => LeadAddressList.Apply(c.Value.Leads, edits[c.Key]).Count > LeadAddressList.MaxLeads)
            .Select(c => c.Key).ToList();
        if (full.Count > 0)
        {
            await Parallel.ForEachAsync(inserted, Options(cancellationToken), async (key, ct) =>
                await EditAddressAsync(index, companyId, key, new AddressEdit([], edits[key].Added), ct));
            return full;
        }
        await Parallel.ForEachAsync(current, Options(cancellationToken), async (entry, ct) =>
        {
            if (!await TryWriteAddressAsync(index, companyId, entry.Key, entry.Value, edits[entry.Key], ct))
                await EditAddressAsync(index, companyId, entry.Key, edits[entry.Key], ct);
        });
        return [];
    }

    private static async Task UndoCreatedAsync(
        TableClient rows, TableClient index, string companyId, IReadOnlyList<Lead> created, CancellationToken cancellationToken) =>
        await TableBatches.SubmitAsync(
            rows, created.Select(l => new TableTransactionAction(TableTransactionActionType.Delete, LeadEntity(companyId, l), ETag.All)),
            Parallelism, cancellationToken);

    /// <summary>Reads and rewrites one address's row with its ETag until no one else wrote it in between.</summary>
    private static async Task EditAddressAsync(
        TableClient index, string companyId, string key, AddressEdit edit,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await ReadAddressAsync(index, companyId, key, cancellationToken);
            if (await TryWriteAddressAsync(index, companyId, key, row, edit, cancellationToken)) return;
            if (attempt == EditAttempts) throw new InvalidOperationException("The address index kept changing while it was edited.");
        }
    }

    /// <summary>Writes the edited list over <paramref name="row"/>; false when someone wrote the row since it was read.</summary>
    private static async Task<bool> TryWriteAddressAsync(
        TableClient index, string companyId, string key, StoredAddress row, AddressEdit edit,
        CancellationToken cancellationToken)
    {
        var next = LeadAddressList.Apply(row.Leads, edit);
        if (next.SequenceEqual(row.Leads)) return true;
        try
        {
            if (row.ETag is not { } etag) await index.AddEntityAsync(AddressEntity(companyId, key, next), cancellationToken);
            else if (next.Count == 0) await index.DeleteEntityAsync(AddressPartition(companyId, key), key, etag, cancellationToken);
            else await index.UpdateEntityAsync(AddressEntity(companyId, key, next), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    private static async Task<StoredLead?> ReadLeadAsync(
        TableClient rows, string companyId, string leadId, CancellationToken cancellationToken)
    {
        var row = await rows.GetEntityIfExistsAsync<TableEntity>(
            LeadKeys.LeadPartition(companyId, leadId), LeadKeys.LeadRow(leadId), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity
            ? new StoredLead(new Lead(entity.GetString("LeadId"), entity.GetString("Email"), entity.GetString("Name")), entity.ETag)
            : null;
    }

    private static async Task<StoredAddress> ReadAddressAsync(
        TableClient index, string companyId, string key, CancellationToken cancellationToken)
    {
        var row = await index.GetEntityIfExistsAsync<TableEntity>(
            AddressPartition(companyId, key), key, ["Leads"], cancellationToken);
        return row.HasValue && row.Value is { } entity
            ? new StoredAddress(LeadAddressList.Parse(entity.GetString("Leads")), entity.ETag)
            : new StoredAddress([], null);
    }

    internal static TableEntity LeadEntity(string companyId, Lead lead) =>
        new(LeadKeys.LeadPartition(companyId, lead.LeadId), LeadKeys.LeadRow(lead.LeadId))
        {
            ["LeadId"] = lead.LeadId, ["Email"] = lead.Email, ["Name"] = lead.Name,
        };

    private static TableTransactionAction ReplaceLead(string companyId, Lead lead) =>
        new(TableTransactionActionType.UpsertReplace, LeadEntity(companyId, lead));

    private static TableEntity AddressEntity(string companyId, string key, IEnumerable<string> leadIds) =>
        new(AddressPartition(companyId, key), key) { ["Leads"] = LeadAddressList.Format(leadIds) };

    private static TableTransactionAction Insert(TableEntity entity) => new(TableTransactionActionType.Add, entity);

    private static string AddressPartition(string companyId, string key) => LeadKeys.AddressPartition(companyId, key);

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    private sealed record StoredLead(Lead Lead, ETag ETag);

    private sealed record StoredAddress(IReadOnlyList<string> Leads, ETag? ETag);
}
