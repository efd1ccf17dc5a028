using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace MailSync.Testing;

/// <summary>
/// Counts what a <see cref="TableServiceClient"/> asks of storage: requests by method and table, and the entities each
/// one writes (every operation of a batch) or reads (the rows a query or a point read returns), by table and partition.
/// What an operation costs storage, counted instead of timed, and the partition it loads most (Azure's targets are per
/// partition and per account, in entities).
/// </summary>
public sealed partial class StorageRequests : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<(string Method, string Table), int> counts = new();
    private readonly ConcurrentDictionary<(string Table, string Partition), Entities> entities = new();
    private long lastRequestAt = Environment.TickCount64;

    /// <summary>Entities one table partition saw.</summary>
    public readonly record struct Entities(int Read, int Written)
    {
        public int Total => Read + Written;

        public static Entities operator +(Entities a, Entities b) => new(a.Read + b.Read, a.Written + b.Written);
    }

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

    /// <summary>Requests per table, by method.</summary>
    public IReadOnlyDictionary<(string Method, string Table), int> Requests => new Dictionary<(string, string), int>(counts);

    /// <summary>Entities read and written per table and partition.</summary>
    public IReadOnlyDictionary<(string Table, string Partition), Entities> EntitiesByPartition =>
        new Dictionary<(string, string), Entities>(entities);

    /// <summary>Entities read and written in <paramref name="table"/>, all partitions.</summary>
    public Entities EntitiesOf(string table) =>
        entities.Where(e => e.Key.Table == table).Aggregate(default(Entities), (sum, e) => sum + e.Value);

    /// <summary>How long ago the last request was sent: an operation's writes behind it have settled when this grows.</summary>
    public TimeSpan SinceLastRequest => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref lastRequestAt));

    public void Reset()
    {
        counts.Clear();
        entities.Clear();
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Exchange(ref lastRequestAt, Environment.TickCount64);
        var request = message.Request;
        var path = request.Uri.ToUri().AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var table = path.Length > 1 ? path[1].Split('(')[0] : "";
        counts.AddOrUpdate((request.Method.Method, table), 1, (_, n) => n + 1);
        if (table == "$batch")
        {
            foreach (var (batchTable, partition) in BatchOperations(request)) Add(batchTable, partition, new Entities(0, 1));
        }
        else if (request.Method != RequestMethod.Get && table != "Tables")
        {
            Add(table, PartitionOf(Uri.UnescapeDataString(request.Uri.ToUri().PathAndQuery)) ?? PartitionInBody(request), new Entities(0, 1));
        }
    }

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Get || message.Response.Status != 200) return;
        var address = Uri.UnescapeDataString(message.Request.Uri.ToUri().PathAndQuery);
        var path = message.Request.Uri.ToUri().AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var table = path.Length > 1 ? path[1].Split('(')[0] : "";
        if (table == "Tables" || message.Response.ContentStream is not { CanSeek: true } body) return;
        var start = body.Position;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("value", out var rows))
            {
                foreach (var row in rows.EnumerateArray())
                    Add(table, row.TryGetProperty("PartitionKey", out var pk) ? pk.GetString() : null, new Entities(1, 0));
            }
            else
            {
                Add(table, PartitionOf(address), new Entities(1, 0));
            }
        }
        catch (JsonException)
        {
        }
        finally
        {
            body.Position = start;
        }
    }

    private void Add(string table, string? partition, Entities count) =>
        entities.AddOrUpdate((table, partition ?? "?"), count, (_, n) => n + count);

    /// <summary>The partition a point operation's address or a query's filter names.</summary>
    private static string? PartitionOf(string address) =>
        PointPartition().Match(address) is { Success: true } point ? Unquote(point.Groups[1].Value)
        : FilterPartition().Match(address) is { Success: true } filter ? Unquote(filter.Groups[1].Value)
        : null;

    private static string Unquote(string value) => value.Replace("''", "'", StringComparison.Ordinal);

    private static string? PartitionInBody(Azure.Core.Request request)
    {
        if (request.Content is null) return null;
        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        return BodyPartition().Match(Encoding.UTF8.GetString(buffer.ToArray())) is { Success: true } m ? m.Groups[1].Value : null;
    }

    /// <summary>Each operation of a batch: its table and partition (from its address, or from its body for an insert).</summary>
    private static IEnumerable<(string Table, string? Partition)> BatchOperations(Azure.Core.Request request)
    {
        if (request.Content is null) yield break;
        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var operations = BatchOperation().Matches(text);
        for (var i = 0; i < operations.Count; i++)
        {
            // The table is the segment after the account, read before unescaping (a key may hold a '/').
            var raw = new Uri(operations[i].Groups[2].Value).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var table = raw.Length > 1 ? raw[1].Split('(')[0] : "";
            var address = Uri.UnescapeDataString(operations[i].Groups[2].Value);
            var end = i + 1 < operations.Count ? operations[i + 1].Index : text.Length;
            var partition = PartitionOf(address)
                ?? (BodyPartition().Match(text, operations[i].Index, end - operations[i].Index) is { Success: true } m ? m.Groups[1].Value : null);
            yield return (table, partition);
        }
    }

    [GeneratedRegex(@"PartitionKey='((?:[^']|'')*)'")]
    private static partial Regex PointPartition();

    [GeneratedRegex(@"PartitionKey eq '((?:[^']|'')*)'")]
    private static partial Regex FilterPartition();

    [GeneratedRegex("\"PartitionKey\"\\s*:\\s*\"([^\"]*)\"")]
    private static partial Regex BodyPartition();

    [GeneratedRegex(@"^(POST|PUT|MERGE|PATCH|DELETE) (\S+) HTTP/1\.1", RegexOptions.Multiline)]
    private static partial Regex BatchOperation();
}
