using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Grains.Storage;
using Orleans.Concurrency;

namespace MailSync.Grains.Webhooks;

/// <summary>Reads the status changes of a company's event log after a position: one range query, in log order.</summary>
[StatelessWorker]
public sealed class ChangeFeedGrain(ICompanyRows rows) : Grain, IChangeFeedGrain
{
    public async Task<ChangeFeedPage> GetChanges(long since, int limit)
    {
        var page = await rows.PageAsync(EventLog.Table, this.GetPrimaryKeyString(),
            new RowQuery(limit, since > 0 ? EventLog.RowKey(since) : null, "Type", WebhookEventTypes.StatusChanged));
        List<StatusChange> items = [.. page.Rows.Select(EventLog.Change)];
        return new ChangeFeedPage(items, items.Count > 0 ? items[^1].Position : since);
    }
}
