using Azure.Data.Tables;

namespace MailSync.Grains.Storage;

/// <summary>
/// Rows of one company in one of the service's tables (partition = company, row keys chosen by the caller): how
/// per-company data that grows with the company (seats, users and their statuses, error logs, billing) stays out of
/// any one grain's state. Azure Tables in production, memory in the development mode; both behave the same.
/// </summary>
public interface ICompanyRows
{
    /// <summary>
    /// Applies the changes atomically (one transaction: at most 100, same company; a delete of a missing row fails it
    /// unless it is alone); upserts merge the given columns into the row.
    /// </summary>
    Task ApplyAsync(string table, string companyId, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default);

    /// <summary>Creates the row unless it exists; returns whether it was created.</summary>
    Task<bool> TryAddAsync(
        string table, string companyId, string rowKey, IReadOnlyDictionary<string, object?> columns,
        CancellationToken cancellationToken = default);

    Task<TableEntity?> GetAsync(string table, string companyId, string rowKey, CancellationToken cancellationToken = default);

    /// <summary>Every row of the company, in key order.</summary>
    IAsyncEnumerable<TableEntity> ScanAsync(string table, string companyId, CancellationToken cancellationToken = default);

    /// <summary>One page in key order; <see cref="RowPage.Position"/> (the last row key) continues it, null at the end.</summary>
    Task<RowPage> PageAsync(string table, string companyId, RowQuery query, CancellationToken cancellationToken = default);
}

/// <summary>An upsert (merging the given columns into the row), an insert (fails the transaction if the row exists) or a delete.</summary>
public sealed record RowChange(string RowKey, IReadOnlyDictionary<string, object?>? Columns, bool InsertOnly = false)
{
    public static RowChange Upsert(string rowKey, IReadOnlyDictionary<string, object?> columns) => new(rowKey, columns);

    public static RowChange Insert(string rowKey, IReadOnlyDictionary<string, object?> columns) => new(rowKey, columns, true);

    public static RowChange Delete(string rowKey) => new(rowKey, null);
}

/// <summary>
/// A page of at most <see cref="Limit"/> rows after <see cref="Position"/> and before <see cref="Before"/> (row keys),
/// optionally only those whose column equals a value. With <see cref="MaxScanned"/> a filtered page reads no more rows than
/// that: it may then come back short (even empty) with a position to go on from, so a rare value costs each request a
/// bounded read instead of the whole partition.
/// </summary>
public sealed record RowQuery(
    int Limit, string? Position = null, string? Column = null, string? EqualTo = null, string? Before = null, int? MaxScanned = null)
{
    /// <summary>Whether <paramref name="row"/> has the value asked for (every row when no column is named).</summary>
    public bool Matches(TableEntity row) => Column is null || string.Equals(
        Convert.ToString(row.TryGetValue(Column, out var value) ? value : null, System.Globalization.CultureInfo.InvariantCulture),
        EqualTo, StringComparison.Ordinal);
}

public sealed record RowPage(IReadOnlyList<TableEntity> Rows, string? Position);
