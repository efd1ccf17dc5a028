using Azure.Data.Tables;
using MailSync.Grains.Timeline;
using MailSync.Testing;

namespace MailSync.Bench;

/// <summary>
/// When planted messages reached a company's timeline, by storage's own clock: a row's Timestamp is when it was written,
/// so a timeline read held up by a busy Azurite or a healing cluster does not count in the figure.
/// </summary>
internal static class StoredArrivals
{
    /// <summary>
    /// Seconds from planting to the row's write, in order, for the rows whose subject is a key of
    /// <paramref name="plantedAt"/>: of one lead's timeline, or of every lead's when <paramref name="leadId"/> is null.
    /// </summary>
    public static async Task<List<double>> SecondsAsync(string companyId, IReadOnlyDictionary<string, DateTimeOffset> plantedAt, string? leadId = null)
    {
        var table = new TableClient(TestServices.Current.TablesConnectionString, AzureTimelineStore.TableName);
        var filter = leadId is { } lead
            ? TableClient.CreateQueryFilter($"PartitionKey eq {TimelineKeys.Partition(companyId, lead)}")
            : TableClient.CreateQueryFilter(
                $"PartitionKey ge {TimelineKeys.CompanyStart(companyId)} and PartitionKey lt {TimelineKeys.PrefixEnd(TimelineKeys.CompanyStart(companyId))}");
        var seconds = new List<double>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
            if (row.GetString("Subject") is { } subject && plantedAt.TryGetValue(subject, out var at) && row.Timestamp is { } written)
                seconds.Add((written - at).TotalSeconds);
        seconds.Sort();
        return seconds;
    }
}
