using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace MailSync.Grains.Storage;

/// <summary><see cref="ICompanyRows"/> in process memory, same keys, merge and paging rules: the development mode only.</summary>
public sealed class MemoryCompanyRows : ICompanyRows
{
    private readonly ConcurrentDictionary<(string Table, string Company), SortedDictionary<string, TableEntity>> partitions = new();

    public Task ApplyAsync(string table, string companyId, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default)
    {
        if (changes.Count > TableBatches.MaxActionsPerTransaction)
            throw new ArgumentException($"At most {TableBatches.MaxActionsPerTransaction} changes apply atomically.", nameof(changes));
        var rows = Partition(table, companyId);
        lock (rows)
        {
            if (changes.FirstOrDefault(c => c.InsertOnly && rows.ContainsKey(c.RowKey)) is { } taken)
                throw new InvalidOperationException($"Row {taken.RowKey} exists: the transaction changes nothing.");
            foreach (var change in changes)
            {
                if (change.Columns is null)
                {
                    rows.Remove(change.RowKey);
                    continue;
                }
                if (!rows.TryGetValue(change.RowKey, out var row))
                    rows[change.RowKey] = row = new TableEntity(TableKeys.Escape(companyId), change.RowKey);
                foreach (var (name, value) in change.Columns) row[name] = value;
            }
        }
        return Task.CompletedTask;
    }

    public Task<bool> TryAddAsync(
        string table, string companyId, string rowKey, IReadOnlyDictionary<string, object?> columns,
        CancellationToken cancellationToken = default)
    {
        var rows = Partition(table, companyId);
        lock (rows)
        {
            if (rows.ContainsKey(rowKey)) return Task.FromResult(false);
            var row = new TableEntity(TableKeys.Escape(companyId), rowKey);
            foreach (var (name, value) in columns) row[name] = value;
            rows[rowKey] = row;
            return Task.FromResult(true);
        }
    }

    public Task<TableEntity?> GetAsync(string table, string companyId, string rowKey, CancellationToken cancellationToken = default)
    {
        var rows = Partition(table, companyId);
        lock (rows) return Task.FromResult(rows.TryGetValue(rowKey, out var row) ? Copy(row) : null);
    }

    public async IAsyncEnumerable<TableEntity> ScanAsync(
        string table, string companyId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var position = (string?)null;
        do
        {
            var page = await PageAsync(table, companyId, new RowQuery(1000, position), cancellationToken);
            foreach (var row in page.Rows) yield return row;
            position = page.Position;
        }
        while (position is not null);
    }

    public Task<RowPage> PageAsync(string table, string companyId, RowQuery query, CancellationToken cancellationToken = default)
    {
        var rows = Partition(table, companyId);
        var page = new RowPageCollector(query);
        lock (rows)
        {
            foreach (var row in rows.Values
                .Where(r => query.Position is null || string.CompareOrdinal(r.RowKey, query.Position) > 0)
                .Where(r => query.Before is null || string.CompareOrdinal(r.RowKey, query.Before) < 0))
            {
                if (!page.Add(Copy(row))) break;
            }
        }
        return Task.FromResult(page.Page);
    }

    private SortedDictionary<string, TableEntity> Partition(string table, string companyId) =>
        partitions.GetOrAdd((table, companyId), _ => new SortedDictionary<string, TableEntity>(StringComparer.Ordinal));

    private static TableEntity Copy(TableEntity row) => new(row);
}
