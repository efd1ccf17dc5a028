using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Storage;
using MailSync.Shared.Diagnostics;

namespace MailSync.Grains.Timeline;

/// <summary>
/// Table <c>MailSyncTimeline</c>, keyed by <see cref="TimelineKeys"/>;
/// entries stored bounded (<see cref="TimelineEntryBounds"/>).
/// </summary>
public sealed class AzureTimelineStore(MailSyncTables tables) : ITimelineStore
{
    public const string TableName = "MailSyncTimeline";
    private const int WriteParallelism = 8;

    /// <summary>To and Cc are each one string property: this keeps them well under Azure's 64 KiB (32K characters).</summary>
    public const int MaxAddressListChars = 30_000;

    private static readonly JsonSerializerOptions AddressJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Each entry is bounded (<see cref="TimelineEntryBounds"/>) and measured (<see cref="TableEntitySize"/>) first: one
    /// Azure would refuse is returned, not sent. A transaction Azure refuses for one entity's content is retried entity
    /// by entity, so only that one is returned; any other failure throws.
    /// </summary>
    public async Task<IReadOnlyList<RefusedEntry>> WriteAsync(
        string companyId, IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0) return [];
        var refused = new List<RefusedEntry>();
        var pending = new Dictionary<TableTransactionAction, TimelineEntry>(ReferenceEqualityComparer.Instance);
        foreach (var entry in entries)
        {
            var entity = ToEntity(companyId, entry);
            if (TableEntitySize.Refusal(entity) is { } reason) refused.Add(new RefusedEntry(entry, reason));
            else pending[new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)] = entry;
        }
        if (pending.Count == 0) return refused;
        using var activity = MailSyncActivities.Storage.StartActivity("timeline write", ActivityKind.Client);
        activity?.SetTag("db.system.name", "azure.tables");
        activity?.SetTag("db.collection.name", TableName);
        activity?.SetTag("mailsync.entries", pending.Count);
        var table = await tables.GetAsync(TableName);
        foreach (var (action, error) in await TableBatches.SubmitRefusingAsync(table, pending.Keys, WriteParallelism, cancellationToken))
            refused.Add(new RefusedEntry(pending[action],
                $"Azure Table storage refused to store it ({error.ErrorCode ?? error.Status.ToString(CultureInfo.InvariantCulture)})"));
        return refused;
    }

    public async Task<TimelinePage> ReadPageAsync(
        string companyId, string leadId, int limit, string? continuation, CancellationToken cancellationToken = default)
    {
        var (position, lastMessageKey) = TimelineContinuation.Decode(companyId, leadId, continuation);
        var table = await tables.GetAsync(TableName);
        var start = TimelineKeys.LeadPrefix(leadId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TimelineKeys.Partition(companyId, leadId)} and RowKey ge {start} and RowKey lt {
                TimelineKeys.PrefixEnd(start)}");
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken)
                .AsPages(position, limit))
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

    /// <summary>
    /// One query in key order, reading one entity past <paramref name="max"/>: that entity is where the next step goes
    /// on, so a huge history is neither read nor deleted in one go, and no step scans again what an earlier one passed.
    /// </summary>
    public async Task<TimelineDeletionStep> DeleteAsync(
        string companyId, TimelineRowFilter filter, int max, string? from, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var table = await tables.GetAsync(TableName);
        var start = TimelineKeys.CompanyStart(companyId);
        var query = TableClient.CreateQueryFilter($"PartitionKey ge {start} and PartitionKey lt {TimelineKeys.PrefixEnd(start)}");
        if (filter.UserId is { } userId) query += " and " + TableClient.CreateQueryFilter($"UserId eq {userId}");
        if (TimelinePosition.Decode(from) is var (partition, row))
            query += " and " + TableClient.CreateQueryFilter(
                $"(PartitionKey gt {partition} or (PartitionKey eq {partition} and RowKey ge {row}))");
        string[] columns = filter.Matches is null ? ["PartitionKey", "RowKey"] : ["PartitionKey", "RowKey", "UserId", "From", "To", "Cc"];
        var doomed = new List<TableTransactionAction>();
        var looked = 0;
        string? next = null;
        await foreach (var entity in table.QueryAsync<TableEntity>(
            query, maxPerPage: Math.Min(max + 1, 1000), select: columns, cancellationToken: cancellationToken))
        {
            if (looked++ == max)
            {
                next = TimelinePosition.Encode(entity.PartitionKey, entity.RowKey);
                break;
            }
            if (filter.Matches is null || filter.Matches(ParticipantsOf(entity)))
                doomed.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
        }
        await TableBatches.SubmitAsync(table, doomed, WriteParallelism, cancellationToken);
        return new TimelineDeletionStep(doomed.Count, next);
    }

    private static TimelineParticipants ParticipantsOf(TableEntity e) => new(
        e.GetString("UserId") ?? "", e.GetString("From") ?? "", JsonSerializer.Deserialize<string[]>(e.GetString("To") ?? "[]") ?? [],
        JsonSerializer.Deserialize<string[]>(e.GetString("Cc") ?? "[]") ?? []);

    /// <summary>The entry as stored: bounded, with the keys of the full entry; the memory store measures the same entity.</summary>
    public static TableEntity ToEntity(string companyId, TimelineEntry entry)
    {
        var e = TimelineEntryBounds.Apply(entry);
        var entity = new TableEntity(TimelineKeys.Partition(companyId, e.LeadId), TimelineKeys.Row(e))
        {
            ["LeadId"] = e.LeadId,
            ["MessageId"] = e.MessageId,
            ["Subject"] = e.Subject,
            ["Date"] = e.Date,
            ["Direction"] = e.Direction.ToString(),
            ["From"] = e.From,
            ["To"] = AddressList(e.To),
            ["Cc"] = AddressList(e.Cc),
            ["UserId"] = e.UserId,
            ["ToCount"] = e.ToCount,
            ["CcCount"] = e.CcCount,
            ["SubjectShortened"] = e.SubjectShortened,
        };
        if (e.FullMessageIdHash is { } hash) entity["FullMessageIdHash"] = hash;
        return entity;
    }

    /// <summary>A stored entry; rows written before the counts existed count the addresses they list.</summary>
    public static TimelineEntry FromEntity(TableEntity e)
    {
        var (_, _, to, cc) = ParticipantsOf(e);
        return new TimelineEntry(
            e.GetString("LeadId"),
            e.GetString("MessageId"),
            e.GetString("Subject") ?? "",
            e.GetDateTimeOffset("Date") ?? DateTimeOffset.MinValue,
            Enum.Parse<MessageDirection>(e.GetString("Direction")),
            e.GetString("From") ?? "",
            to,
            cc,
            e.GetString("UserId"))
        {
            ToCount = e.GetInt32("ToCount") ?? to.Count,
            CcCount = e.GetInt32("CcCount") ?? cc.Count,
            SubjectShortened = e.GetBoolean("SubjectShortened") ?? false,
            FullMessageIdHash = e.GetString("FullMessageIdHash"),
        };
    }

    /// <summary>
    /// A JSON array of the addresses that fit <see cref="MaxAddressListChars"/>: all of a bounded list, unless its
    /// addresses are full of characters JSON escapes. Non-ASCII is written as is (the text is only ever read back here).
    /// </summary>
    private static string AddressList(IReadOnlyList<string> addresses)
    {
        var json = JsonSerializer.Serialize(addresses, AddressJson);
        if (json.Length <= MaxAddressListChars) return json;
        var kept = new List<string>();
        var length = 2;
        foreach (var address in addresses)
        {
            length += JsonSerializer.Serialize(address, AddressJson).Length + (kept.Count > 0 ? 1 : 0);
            if (length > MaxAddressListChars) break;
            kept.Add(address);
        }
        return JsonSerializer.Serialize(kept, AddressJson);
    }
}
