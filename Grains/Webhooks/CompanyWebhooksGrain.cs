using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Grains.Storage;
using MailSync.Shared.Secrets;
using MailSync.Shared.Storage;
using MailSync.Shared.Time;
using MailSync.Shared.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Webhooks;

/// <summary>
/// A company's subscriptions and the writer of its event log. Appends take turns (the grain is not reentrant), so log
/// positions become visible in order: the change feed and the deliveries never skip one that appears later.
/// </summary>
public sealed class CompanyWebhooksGrain(
    [PersistentState("webhooks", StorageNames.GrainState)] IPersistentState<CompanyWebhooksState> state,
    ICompanyRows rows,
    SecretProtector secrets,
    MailSyncClock clock,
    IOptions<WebhookOptions> options,
    ILogger<CompanyWebhooksGrain> logger)
    : Grain, ICompanyWebhooksGrain
{
    /// <summary>Positions reserved per state write.</summary>
    private const long Block = 1000;

    /// <summary>Rows the retention removes per append at most, so one append never turns into a long clean-up.</summary>
    private const int PruneBatch = 500;

    /// <summary>Event ids remembered as logged: far more than the hand-offs that can be in flight when an answer is lost.</summary>
    private const int LoggedIdsKept = 10_000;

    private static readonly TimeSpan MarkEvery = TimeSpan.FromHours(1);

    private long next;

    /// <summary>Ids of the events this activation put in the log (the newest ones): a repeated hand-off adds none twice.</summary>
    private readonly RecentSet logged = new(LoggedIdsKept);

    /// <summary>Positions of writes that failed, whose events may have been committed all the same.</summary>
    private readonly List<(long First, int Count)> uncertain = [];

    private string CompanyId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Whatever the last activation used lies at or below ReservedUpTo: continue after it.
        next = state.State.ReservedUpTo + 1;
        state.State.ReservedUpTo += Block;
        await state.WriteStateAsync(cancellationToken);
    }

    public async Task<WebhookPutResult> Put(string subscriptionId, WebhookSubscriptionInput input)
    {
        var now = clock.Now;
        var existing = state.State.Subscriptions.GetValueOrDefault(subscriptionId);
        if (existing is null && state.State.Subscriptions.Count >= options.Value.MaxSubscriptionsPerCompany)
            return new WebhookPutResult(null, false, "id",
                $"this company already has {options.Value.MaxSubscriptionsPerCompany} subscriptions, the most it may have.");
        if (existing is null && input.Secret is null)
            return new WebhookPutResult(null, false, "secret", "is required when the subscription is created.");
        var secret = input.Secret is { } plain
            ? secrets.Protect(plain, StoredSubscription.Purpose(CompanyId, subscriptionId))
            : existing!.Secret;
        var stored = new StoredSubscription(
            input.Url, [.. input.Events], secret, existing?.CreatedAt ?? now, now, ++state.State.Generations);
        state.State.Subscriptions[subscriptionId] = stored;
        await state.WriteStateAsync();
        // A new subscription hears of what happens from now on; an existing one keeps its place (and resumes if paused).
        await Control(subscriptionId).Configure(new WebhookTarget(stored.Url, stored.Events, stored.Secret, stored.Generation), next - 1);
        logger.LogInformation("Webhook {Subscription} of {Company} {Action}",
            subscriptionId, CompanyId, existing is null ? "created" : "updated");
        return new WebhookPutResult(View(subscriptionId, stored), existing is null);
    }

    public Task<WebhookSubscription?> Get(string subscriptionId) =>
        Task.FromResult(state.State.Subscriptions.TryGetValue(subscriptionId, out var s) ? View(subscriptionId, s) : null);

    public Task<IReadOnlyList<WebhookSubscription>> List() =>
        Task.FromResult<IReadOnlyList<WebhookSubscription>>(
            [.. state.State.Subscriptions.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => View(s.Key, s.Value))]);

    public async Task<bool> Delete(string subscriptionId)
    {
        if (!state.State.Subscriptions.Remove(subscriptionId)) return false;
        await state.WriteStateAsync();
        await Control(subscriptionId).Configure(null, 0);
        logger.LogInformation("Webhook {Subscription} of {Company} deleted", subscriptionId, CompanyId);
        return true;
    }

    public async Task Append(IReadOnlyList<MailboxEvent> events)
    {
        await LearnUncertainAsync();
        var subscriptions = state.State.Subscriptions;
        // Status changes always go in (the change feed); other types only while someone subscribes to them. An event
        // already in the log (a hand-off repeated after an answer was lost) does not go in twice.
        var kept = events
            .Where(e => !logged.Contains(e.Id))
            .Where(e => e.Type == WebhookEventTypes.StatusChanged || subscriptions.Values.Any(s => s.Events.Contains(e.Type)))
            .ToList();
        if (kept.Count == 0) return;
        if (next + kept.Count > state.State.ReservedUpTo)
        {
            state.State.ReservedUpTo = next + kept.Count + Block;
            await state.WriteStateAsync();
        }
        var now = clock.Now;
        if (state.State.Marks.Count == 0 || now - state.State.Marks[^1].At >= MarkEvery)
        {
            state.State.Marks.Add(new LogMark(next, now));
            await state.WriteStateAsync();
        }
        foreach (var chunk in kept.Chunk(TableBatches.MaxActionsPerTransaction))
        {
            // A position is given out once, whatever the write's fate: a write that failed may have committed all the same.
            var first = next;
            next += chunk.Length;
            try
            {
                await rows.ApplyAsync(EventLog.Table, CompanyId, [.. chunk.Select((e, i) => EventLog.Row(first + i, e))]);
            }
            catch
            {
                uncertain.Add((first, chunk.Length));
                throw;
            }
            foreach (var e in chunk) logged.Add(e.Id);
        }
        // Awaited: once this returns, every delivery grain holds a reminder
        // until it delivered these (a silo loss delays, never loses them).
        await Task.WhenAll(subscriptions.Keys.Select(id =>
            GrainFactory.GetGrain<IWebhookDeliveryGrain>(DeliveryKey(CompanyId, id)).Poke()));
        await PruneAsync(now);
    }

    /// <summary>
    /// Reads back the positions of writes that failed: the events a failed write committed after all (its answer was lost)
    /// are known as logged, so the hand-off's retry does not log them a second time.
    /// </summary>
    private async Task LearnUncertainAsync()
    {
        while (uncertain.Count > 0)
        {
            var (first, count) = uncertain[0];
            var page = await rows.PageAsync(EventLog.Table, CompanyId,
                new RowQuery(count, EventLog.RowKey(first - 1), Before: EventLog.RowKey(first + count)));
            foreach (var row in page.Rows) logged.Add(row.GetString("EventId"));
            uncertain.RemoveAt(0);
        }
    }

    /// <summary>
    /// Removes rows older than the retention: those before the first mark younger than it. The log's floor is raised
    /// first, so a reader behind it is told what it missed, never left to skip it unaware.
    /// </summary>
    private async Task PruneAsync(DateTimeOffset now)
    {
        var marks = state.State.Marks;
        if (marks.Count < 2 || now - marks[1].At < options.Value.Retention) return;
        var before = marks[1].Position;
        if (state.State.FirstKept < before)
        {
            await rows.ApplyAsync(EventLog.Table, CompanyId, [EventLog.Floor(before)]);
            state.State.FirstKept = before;
        }
        var page = await rows.PageAsync(EventLog.Table, CompanyId, new RowQuery(PruneBatch, EventLog.RowKey(0)));
        var old = page.Rows.Where(r => EventLog.Position(r) < before).ToList();
        foreach (var chunk in old.Chunk(TableBatches.MaxActionsPerTransaction))
            await rows.ApplyAsync(EventLog.Table, CompanyId, [.. chunk.Select(r => RowChange.Delete(r.RowKey))]);
        if (old.Count < PruneBatch)
        {
            marks.RemoveAt(0);
            await state.WriteStateAsync();
        }
    }

    public static string DeliveryKey(string companyId, string subscriptionId) => $"{companyId}/{subscriptionId}";

    private IWebhookDeliveryControl Control(string subscriptionId) =>
        GrainFactory.GetGrain<IWebhookDeliveryControl>(DeliveryKey(CompanyId, subscriptionId));

    private static WebhookSubscription View(string id, StoredSubscription s) => new(id, s.Url, s.Events, s.CreatedAt, s.UpdatedAt);
}
