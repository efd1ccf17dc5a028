using System.Collections.Concurrent;
using System.Globalization;
using MailSync.Grains.Interfaces.Timeline;

namespace MailSync.Grains.Timeline;

/// <summary>Timelines in process memory, with the same keys and paging as the table: development mode only.</summary>
public sealed class MemoryTimelineStore : ITimelineStore
{
    private readonly ConcurrentDictionary<string, SortedList<string, TimelineEntry>> partitions = new();

    /// <summary>Bounds, measures and refuses exactly as the table does: each entry is kept as the table would return it.</summary>
    public Task<IReadOnlyList<RefusedEntry>> WriteAsync(
        string companyId, IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken = default)
    {
        var refused = new List<RefusedEntry>();
        foreach (var entry in entries)
        {
            var entity = AzureTimelineStore.ToEntity(companyId, entry);
            if (TableEntitySize.Refusal(entity) is { } reason)
            {
                refused.Add(new RefusedEntry(entry, reason));
                continue;
            }
            var partition = partitions.GetOrAdd(entity.PartitionKey, _ => new(StringComparer.Ordinal));
            lock (partition) partition[entity.RowKey] = AzureTimelineStore.FromEntity(entity);
        }
        return Task.FromResult<IReadOnlyList<RefusedEntry>>(refused);
    }

    public Task<TimelinePage> ReadPageAsync(
        string companyId, string leadId, int limit, string? continuation, CancellationToken cancellationToken = default)
    {
        var skip = 0;
        var (position, lastMessageKey) = TimelineContinuation.Decode(companyId, leadId, continuation);
        if (position is not null && (!int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
            throw new ArgumentException("The continuation token is not valid for this timeline.", nameof(continuation));
        if (!partitions.TryGetValue(TimelineKeys.Partition(companyId, leadId), out var partition))
            return Task.FromResult(new TimelinePage([], null));
        var prefix = TimelineKeys.LeadPrefix(leadId);
        lock (partition)
        {
            var lead = partition.Where(row => row.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(row => row.Value).ToArray();
            var rows = lead.Skip(skip).Take(limit).ToArray();
            var items = TimelineKeys.OnePerMessage(rows, ref lastMessageKey);
            var next = skip + rows.Length < lead.Length
                ? TimelineContinuation.Encode(
                    companyId, leadId, (skip + rows.Length).ToString(CultureInfo.InvariantCulture), lastMessageKey)
                : null;
            return Task.FromResult(new TimelinePage(items, next));
        }
    }

    public Task<TimelineDeletionStep> DeleteAsync(
        string companyId, TimelineRowFilter filter, int max, string? from, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var position = TimelinePosition.Decode(from);
        var prefix = TimelineKeys.CompanyStart(companyId);
        var (looked, removed) = (0, 0);
        foreach (var (key, partition) in partitions
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (position is { } p && string.CompareOrdinal(key, p.PartitionKey) < 0) continue;
            lock (partition)
            {
                foreach (var (row, entry) in partition.Where(r => filter.UserId is null || r.Value.UserId == filter.UserId).ToArray())
                {
                    if (position is { } at && key == at.PartitionKey && string.CompareOrdinal(row, at.RowKey) < 0) continue;
                    if (looked++ == max) return Task.FromResult(new TimelineDeletionStep(removed, TimelinePosition.Encode(key, row)));
                    if (filter.Matches is { } matches && !matches(new TimelineParticipants(entry.UserId, entry.From, entry.To, entry.Cc)))
                        continue;
                    partition.Remove(row);
                    removed++;
                }
            }
        }
        return Task.FromResult(new TimelineDeletionStep(removed, null));
    }
}
