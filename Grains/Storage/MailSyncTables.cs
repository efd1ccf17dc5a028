using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace MailSync.Grains.Storage;

/// <summary>The service's own Azure tables (leads, timeline), each created once per process on first use.</summary>
public sealed class MailSyncTables(TableServiceClient service)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new();

    public Task<TableClient> GetAsync(string name) =>
        tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(async () =>
        {
            var client = service.GetTableClient(n);
            await client.CreateIfNotExistsAsync();
            return client;
        })).Value;
}
