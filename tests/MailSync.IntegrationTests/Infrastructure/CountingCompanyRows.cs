using Azure.Data.Tables;
using MailSync.Grains.Storage;
using MailSync.Grains.Timeline;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>The real company rows, counting the bytes each write sends (by Azure's entity size rule) per table.</summary>
public sealed class CountingCompanyRows(ICompanyRows inner) : ICompanyRows
{
    private readonly Dictionary<string, long> written = [];

    public long BytesWritten(string table)
    {
        lock (written) return written.GetValueOrDefault(table);
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

    public IAsyncEnumerable<TableEntity> ScanAsync(string table, string companyId, CancellationToken cancellationToken = default) =>
        inner.ScanAsync(table, companyId, cancellationToken);

    public Task<RowPage> PageAsync(string table, string companyId, RowQuery query, CancellationToken cancellationToken = default) =>
        inner.PageAsync(table, companyId, query, cancellationToken);

    private void Count(string table, string companyId, IEnumerable<(string Key, IReadOnlyDictionary<string, object?>? Columns)> rows)
    {
        long bytes = 0;
        foreach (var (key, columns) in rows)
        {
            var entity = new TableEntity(TableKeys.Escape(companyId), key);
            foreach (var (name, value) in columns ?? new Dictionary<string, object?>()) if (value is not null) entity[name] = value;
            bytes += TableEntitySize.Of(entity);
        }
        lock (written) written[table] = written.GetValueOrDefault(table) + bytes;
    }
}
