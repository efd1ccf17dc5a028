using MailSync.Grains.Interfaces.Timeline;

namespace MailSync.Grains.Timeline;

/// <summary>Lead timelines: an Azure table, or memory in the development mode. Writes are idempotent upserts.</summary>
public interface ITimelineStore
{
    /// <summary>
    /// Upserts the entries; returns those storage refused for what they are (size, content), which are skipped. Faults of
    /// storage itself (unavailable, throttled) throw: the caller retries the batch.
    /// </summary>
    Task<IReadOnlyList<RefusedEntry>> WriteAsync(
        string companyId, IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Newest first; throws <see cref="ArgumentException"/> for a continuation token that is not ours.</summary>
    Task<TimelinePage> ReadPageAsync(
        string companyId, string leadId, int limit, string? continuation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Looks at most <paramref name="max"/> of the company's rows the filter's user wrote (every user's when none), in key
    /// order from <paramref name="from"/> (the previous step's <see cref="TimelineDeletionStep.Next"/>; null: the start),
    /// and removes those the filter matches: a disconnect's removal of the user's history, or a never-log entry's. Repeating
    /// a step is harmless. Storage faults throw: the caller repeats the step.
    /// </summary>
    Task<TimelineDeletionStep> DeleteAsync(
        string companyId, TimelineRowFilter filter, int max, string? from, CancellationToken cancellationToken = default);
}
