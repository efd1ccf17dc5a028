using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace MailSync.Grains.Storage;

/// <summary><see cref="ICompanyRows"/> on Azure Table storage: partition key = the escaped company id.</summary>
public sealed class AzureCompanyRows(MailSyncTables tables) : ICompanyRows
{
    public async Task ApplyAsync(
        string table, string companyId, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default)
    {
        if (changes.Count == 0) return;
        if (changes.Count > TableBatches.MaxActionsPerTransaction)
            throw new ArgumentException($"At most {TableBatches.MaxActionsPerTransaction} changes apply atomically.", nameof(changes));
        var client = await tables.GetAsync(table);
        var partition = TableKeys.Escape(companyId);
        var actions = changes.Select(change => change.Columns is { } columns
            ? new TableTransactionAction(
                change.InsertOnly ? TableTransactionActionType.Add : TableTransactionActionType.UpsertMerge,
                Entity(partition, change.RowKey, columns))
            : new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, change.RowKey), ETag.All)).ToList();
        await TableBatches.SubmitPartitionAsync(client, actions, cancellationToken);
    }

    public async Task<bool> TryAddAsync(
        string table, string companyId, string rowKey, IReadOnlyDictionary<string, object?> columns,
        CancellationToken cancellationToken = default)
    {
        var client = await tables.GetAsync(table);
        try
        {
            await client.AddEntityAsync(Entity(TableKeys.Escape(companyId), rowKey, columns), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<TableEntity?> GetAsync(string table, string companyId, string rowKey, CancellationToken cancellationToken = default)
    {
        var client = await tables.GetAsync(table);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(
            TableKeys.Escape(companyId), rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async IAsyncEnumerable<TableEntity> ScanAsync(
        string table, string companyId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await tables.GetAsync(table);
        await foreach (var row in client.QueryAsync<TableEntity>(Filter(companyId, null, null), cancellationToken: cancellationToken))
            yield return row;
    }

    public async Task<RowPage> PageAsync(string table, string companyId, RowQuery query, CancellationToken cancellationToken = default)
    {
        var client = await tables.GetAsync(table);
        if (query.MaxScanned is { } most)
        {
            // Filtered here, so that the last row read, matching or not, is where the next page goes on.
            var range = Filter(companyId, null, null, query.Position);
            if (query.Before is not null) range += " and " + TableClient.CreateQueryFilter($"RowKey lt {query.Before}");
            var page = new RowPageCollector(query);
            var rows = client.QueryAsync<TableEntity>(range, maxPerPage: Math.Min(most, 1000), cancellationToken: cancellationToken);
            await foreach (var row in rows)
            {
                if (!page.Add(row)) break;
            }
            return page.Page;
        }
        // Pages start after the last row key seen (an index seek), not at a service continuation token; one row more than
        // asked for says whether there is a next page. A filtered query may come back in short pages: follow them.
        var filter = Filter(companyId, query.Column, query.EqualTo, query.Position);
        if (query.Before is not null) filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {query.Before}");
        var collected = new List<TableEntity>(query.Limit + 1);
        await foreach (var page in client.QueryAsync<TableEntity>(filter, maxPerPage: query.Limit + 1, cancellationToken: cancellationToken)
            .AsPages())
        {
            collected.AddRange(page.Values);
            if (collected.Count > query.Limit) break;
        }
        if (collected.Count <= query.Limit) return new RowPage(collected, null);
        collected.RemoveRange(query.Limit, collected.Count - query.Limit);
        return new RowPage(collected, collected[^1].RowKey);
    }

    private static string Filter(string companyId, string? column, string? equalTo, string? afterRowKey = null)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(companyId)}");
        if (afterRowKey is not null) filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {afterRowKey}");
        // Column names are ours (constants); only the value needs quoting.
        return column is null || equalTo is null ? filter : $"{filter} and {column} eq {TableClient.CreateQueryFilter($"{equalTo}")}";
    }

    private static TableEntity Entity(string partition, string rowKey, IReadOnlyDictionary<string, object?> columns)
    {
        var entity = new TableEntity(partition, rowKey);
        foreach (var (name, value) in columns) entity[name] = value;
        return entity;
    }
}
