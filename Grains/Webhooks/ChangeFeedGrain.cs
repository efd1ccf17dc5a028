using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Grains.Storage;
using Orleans.Concurrency;

namespace MailSync.Grains.Webhooks;

/// <summary>Reads the status changes of a company's event log after a position: one range query, in log order.</summary>
[StatelessWorker]
public sealed class ChangeFeedGrain(ICompanyRows rows) : Grain, IChangeFeedGrain
{
    public async Task<ChangeFeedPage> GetChanges(long? since, int limit)
    {
        var company = this.GetPrimaryKeyString();
        var page = await rows.PageAsync(EventLog.Table, company,
            new RowQuery(limit, EventLog.RowKey(since ?? 0), "Type", WebhookEventTypes.StatusChanged));
        // The floor is read after the page: the retention raises it before it removes rows, so a page that missed
        // removed rows always sees the raised floor.
        if (since is { } cursor && await EventLog.FirstKeptAsync(rows, company) is var firstKept && EventLog.Overtaken(cursor, firstKept))
            return new ChangeFeedPage([], cursor, Gap: firstKept - 1);
        List<StatusChange> items = [.. page.Rows.Select(EventLog.Change)];
        return new ChangeFeedPage(items, items.Count > 0 ? items[^1].Position : since ?? 0);
    }
}
