using Azure.Data.Tables;
using MailSync.Grains.Storage;
using MailSync.Grains.Timeline;

namespace MailSync.Testing;

/// <summary>
/// The real company rows, counting per table the rows and bytes each write sends (by Azure's entity size rule; a delete
/// sends its keys) and the full scans (a company grain activation scans its seat rows once).
/// </summary>
public sealed class CountingCompanyRows(ICompanyRows inner) : ICompanyRows
{
    private readonly Dictionary<string, Written> written = [];
    private readonly Dictionary<string, int> scans = [];

    public Written WrittenTo(string table)
    {
        lock (written) return written.GetValueOrDefault(table);
    }

    /// <summary>Everything written, whatever the table.</summary>
    public Written WrittenInAll()
    {
        lock (written) return written.Values.Aggregate(default(Written), (sum, w) => sum + w);
    }

    public int Scans(string table)
    {
        lock (scans) return scans.GetValueOrDefault(table);
    }

    public Task ApplyAsync(string table, string companyId, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default)
    {
        Count(table, companyId, changes.Select(c => (c.RowKey, c.Columns)));
        return inner.ApplyAsync(table, companyId, changes, cancellationToken);
    }

    public Task<bool> TryAddAsync(string table, string companyId, string rowKey, IReadOnlyDictionary<string, object?> columns, CancellationToken cancellationToken = default)
    {
        Count(table, companyId, [(rowKey, columns)]);
        return inner.TryAddAsync(table, companyId, rowKey, columns, cancellationToken);
    }

    public Task<TableEntity?> GetAsync(string table, string companyId, string rowKey, CancellationToken cancellationToken = default) =>
        inner.GetAsync(table, companyId, rowKey, cancellationToken);

    public IAsyncEnumerable<TableEntity> ScanAsync(string table, string companyId, CancellationToken cancellationToken = default)
    {
        lock (scans) scans[table] = scans.GetValueOrDefault(table) + 1;
        return inner.ScanAsync(table, companyId, cancellationToken);
    }

    public Task<RowPage> PageAsync(string table, string companyId, RowQuery query, CancellationToken cancellationToken = default) =>
        inner.PageAsync(table, companyId, query, cancellationToken);

    private void Count(string table, string companyId, IEnumerable<(string Key, IReadOnlyDictionary<string, object?>? Columns)> rows)
    {
        var sent = default(Written);
        foreach (var (key, columns) in rows)
        {
            var entity = new TableEntity(TableKeys.Escape(companyId), key);
            foreach (var (name, value) in columns ?? new Dictionary<string, object?>()) if (value is not null) entity[name] = value;
            sent += new Written(1, TableEntitySize.Of(entity));
        }
        lock (written) written[table] = written.GetValueOrDefault(table) + sent;
    }

    public readonly record struct Written(long Rows, long Bytes)
    {
        public static Written operator +(Written a, Written b) => new(a.Rows + b.Rows, a.Bytes + b.Bytes);

        public static Written operator -(Written a, Written b) => new(a.Rows - b.Rows, a.Bytes - b.Bytes);
    }
}
