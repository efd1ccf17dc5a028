using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace MailSync.Grains.Storage;

/// <summary>
/// The service's own Azure tables (leads, timeline), each created once per process on first use. A failed creation
/// (storage unavailable) is forgotten, so the next use tries again instead of failing forever.
/// </summary>
public sealed class MailSyncTables(TableServiceClient service)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new();

    public async Task<TableClient> GetAsync(string name)
    {
        var creation = tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        try
        {
            return await creation.Value;
        }
        catch
        {
            tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, creation));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = service.GetTableClient(name);
        await client.CreateIfNotExistsAsync();
        return client;
    }
}
