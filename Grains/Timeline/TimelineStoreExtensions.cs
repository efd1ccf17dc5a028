namespace MailSync.Grains.Timeline;

public static class TimelineStoreExtensions
{
    /// <summary>One bounded step of removing the entries the user's mailbox wrote (see <see cref="ITimelineStore.DeleteAsync"/>).</summary>
    public static Task<TimelineDeletionStep> DeleteByUserAsync(
        this ITimelineStore store, string companyId, string userId, int max, string? from, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(companyId, new TimelineRowFilter(userId), max, from, cancellationToken);

    /// <summary>
    /// Every entry the user's mailbox wrote, removed step after step in one call; returns how many. For tools and tests:
    /// mailboxes take one saved step at a time, so a crash resumes (see MailboxState.HistoryDeletion).
    /// </summary>
    public static async Task<int> DeleteAllByUserAsync(
        this ITimelineStore store, string companyId, string userId, int chunk = 1000, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        string? from = null;
        do
        {
            var step = await store.DeleteByUserAsync(companyId, userId, chunk, from, cancellationToken);
            removed += step.Deleted;
            from = step.Next;
        }
        while (from is not null);
        return removed;
    }
}
