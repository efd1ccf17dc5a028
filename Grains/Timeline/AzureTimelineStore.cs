using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Timeline;

/// <summary>Table <c>MailSyncTimeline</c>, keyed by <see cref="TimelineKeys"/>.</summary>
public sealed class AzureTimelineStore(MailSyncTables tables) : ITimelineStore
{
    public const string TableName = "MailSyncTimeline";
    private const int WriteParallelism = 8;

    public async Task WriteAsync(string companyId, IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0) return;
        var table = await tables.GetAsync(TableName);
        var actions = entries.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(companyId, e)));
        await TableBatches.SubmitAsync(table, actions, WriteParallelism, cancellationToken);
    }

    public async Task<TimelinePage> ReadPageAsync(string companyId, string leadId, int limit, string? continuation, CancellationToken cancellationToken = default)
    {
        var (position, lastMessageKey) = TimelineContinuation.Decode(companyId, leadId, continuation);
        var table = await tables.GetAsync(TableName);
        var start = TimelineKeys.LeadPrefix(leadId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TimelineKeys.Partition(companyId, leadId)} and RowKey ge {start} and RowKey lt {TimelineKeys.PrefixEnd(start)}");
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken).AsPages(position, limit))
            {
                var items = TimelineKeys.OnePerMessage(page.Values.Select(FromEntity), ref lastMessageKey);
                return new TimelinePage(items, TimelineContinuation.Encode(companyId, leadId, page.ContinuationToken, lastMessageKey));
            }
        }
        catch (RequestFailedException e) when (e.Status == 400 && position is not null)
        {
            throw new ArgumentException("The continuation token is not valid for this timeline.", "continuation", e);
        }
        return new TimelinePage([], null);
    }

    public async Task<int> DeleteByUserAsync(string companyId, string userId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {TimelineKeys.CompanyStart(companyId)} and PartitionKey lt {TimelineKeys.PrefixEnd(TimelineKeys.CompanyStart(companyId))} and UserId eq {userId}");
        var doomed = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            doomed.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
        }
        await TableBatches.SubmitAsync(table, doomed, WriteParallelism, cancellationToken);
        return doomed.Count;
    }

    private static TableEntity ToEntity(string companyId, TimelineEntry e) => new(TimelineKeys.Partition(companyId, e.LeadId), TimelineKeys.Row(e))
    {
        ["LeadId"] = e.LeadId,
        ["MessageId"] = e.MessageId,
        ["Subject"] = e.Subject,
        ["Date"] = e.Date,
        ["Direction"] = e.Direction.ToString(),
        ["From"] = e.From,
        ["To"] = JsonSerializer.Serialize(e.To),
        ["Cc"] = JsonSerializer.Serialize(e.Cc),
        ["UserId"] = e.UserId,
    };

    private static TimelineEntry FromEntity(TableEntity e) => new(
        e.GetString("LeadId"),
        e.GetString("MessageId"),
        e.GetString("Subject") ?? "",
        e.GetDateTimeOffset("Date") ?? DateTimeOffset.MinValue,
        Enum.Parse<MessageDirection>(e.GetString("Direction")),
        e.GetString("From") ?? "",
        JsonSerializer.Deserialize<string[]>(e.GetString("To") ?? "[]") ?? [],
        JsonSerializer.Deserialize<string[]>(e.GetString("Cc") ?? "[]") ?? [],
        e.GetString("UserId"));
}
