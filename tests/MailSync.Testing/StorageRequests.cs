using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace MailSync.Testing;

/// <summary>
/// Counts the requests a <see cref="TableServiceClient"/> sends, by method and table: what an operation costs storage,
/// counted instead of timed.
/// </summary>
public sealed class StorageRequests : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<(string Method, string Table), int> counts = new();

    /// <summary>A client of the test Azurite whose requests this counts.</summary>
    public TableServiceClient Client(string connectionString)
    {
        var options = new TableClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerCall);
        return new TableServiceClient(connectionString, options);
    }

    public int Total => counts.Values.Sum();

    public int Of(string method, string? table = null) =>
        counts.Where(c => c.Key.Method == method && (table is null || c.Key.Table == table)).Sum(c => c.Value);

    public void Reset() => counts.Clear();

    public override void OnSendingRequest(HttpMessage message)
    {
        var path = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var table = path.Length > 1 ? path[1].Split('(')[0] : "";
        counts.AddOrUpdate((message.Request.Method.Method, table), 1, (_, n) => n + 1);
    }
}
