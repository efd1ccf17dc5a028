using System.Security.Cryptography;
using System.Text.Json;
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
/// One subscription's deliveries: reads the company's log after its cursor and posts each event of the subscribed types in
/// log order (so in each mailbox's order), one at a time; a failure holds the rest back and is retried with back-off until
/// the streak is Webhooks:PauseAfter old, when the subscription pauses (a PUT resumes it). A reminder is held while
/// events may be waiting, so a silo lost mid-way is followed by another that delivers them.
/// </summary>
public sealed class WebhookDeliveryGrain(
    [PersistentState("webhook-delivery", StorageNames.GrainState)] IPersistentState<WebhookDeliveryState> state,
    ICompanyRows rows,
    WebhookSender sender,
    SecretProtector secrets,
    MailSyncClock clock,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDeliveryGrain> logger)
    : Grain, IWebhookDeliveryGrain, IWebhookDeliveryControl, IRemindable
{
    private const string ReminderName = "webhook-delivery";

    /// <summary>Log rows read per page; the cursor is saved once per page (a crash repeats at most a page: at least once).</summary>
    private const int PageSize = 100;

    private readonly WebhookRetry retry = new(options.Value);
    private Task? draining;
    private bool again;
    private long pokes;
    private bool reminderHeld;

    /// <summary>When this activation last moved its cursor: a subscription events keep coming to holds its reminder.</summary>
    private DateTimeOffset lastDeliveredAt = DateTimeOffset.MinValue;
    private IGrainTimer? timer;

    private string CompanyId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    public async Task Configure(WebhookTarget? target, long startAfter)
    {
        if (target is null)
        {
            await state.ClearStateAsync();
            await DropReminderAsync();
            return;
        }
        var s = state.State;
        if (s.Target is null) s.Cursor = startAfter;
        if (s.Target?.Generation != target.Generation)
        {
            // A PUT resumes: the failure streak and a pause end; the next attempt is now.
            (s.Failures, s.FailingSince, s.NextAttemptAt, s.PausedReason, s.PausedAt) = (0, null, null, null, null);
        }
        s.Target = target;
        await state.WriteStateAsync();
        Kick();
    }

    public async Task Poke()
    {
        pokes++;
        // A paused subscription waits for a PUT, not for a reminder: its events stay in the log meanwhile.
        if (!reminderHeld && state.State.Target is not null && state.State.PausedReason is null) await HoldReminderAsync();
        Kick();
    }

    public Task<WebhookDeliveryStatus> GetStatus()
    {
        var s = state.State;
        return Task.FromResult(new WebhookDeliveryStatus(
            s.PausedReason is not null, s.PausedReason, s.PausedAt, s.FailingSince, s.NextAttemptAt, s.Cursor));
    }

    public Task<IReadOnlyList<WebhookDeliveryAttempt>> GetAttempts(int limit) =>
        Task.FromResult<IReadOnlyList<WebhookDeliveryAttempt>>([.. Enumerable.Reverse(state.State.Attempts).Take(limit)]);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        reminderHeld = true;
        Kick();
        return Task.CompletedTask;
    }

    /// <summary>Runs the drain unless it runs already (then it goes round once more).</summary>
    public void Kick()
    {
        again = true;
        if (draining is { IsCompleted: false }) return;
        draining = DrainAsync();
    }

    private async Task DrainAsync()
    {
        while (again)
        {
            again = false;
            try
            {
                await DrainOnceAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Storage or the log briefly away: the reminder (held while work may wait) comes back for it.
                logger.LogWarning("Deliveries of {Subscription} interrupted ({Fault}); the reminder retries",
                    this.GetPrimaryKeyString(), e.GetType().Name);
                ArmTimer(TimeSpan.FromSeconds(10));
                return;
            }
        }
    }

    private async Task DrainOnceAsync()
    {
        var s = state.State;
        if (s.Target is not { } target) return;
        if (s.PausedReason is not null)
        {
            if (reminderHeld) await DropReminderAsync();
            return;
        }
        var now = clock.Now;
        if (s.NextAttemptAt is { } due && due > now)
        {
            ArmTimer(due - now);
            return;
        }
        var key = Key(target);
        while (true)
        {
            var seen = pokes;
            var page = await rows.PageAsync(EventLog.Table, CompanyId, new RowQuery(PageSize, EventLog.RowKey(s.Cursor)));
            if (page.Rows.Count == 0)
            {
                // Nothing waits: the reminder goes, unless a poke came meanwhile (its events are read on the next round) or
                // events came within a reminder period (dropping it after every round and holding it again on the next poke
                // would cost three reminder-table requests per round; docs/capacity.md). Its next tick drops it then.
                if (pokes == seen && clock.Now - lastDeliveredAt >= options.Value.ReminderPeriod)
                {
                    await DropReminderAsync();
                    // A poke while the drop waited on storage saw the reminder still held: its events need it back.
                    if (pokes != seen && state.State.PausedReason is null) await HoldReminderAsync();
                }
                return;
            }
            if (EventLog.Position(page.Rows[0]) > s.Cursor + 1
                && await EventLog.FirstKeptAsync(rows, CompanyId) is var firstKept && EventLog.Overtaken(s.Cursor, firstKept))
            {
                // The retention overtook this subscription (paused past it): it is told, never left to skip unaware.
                if (!await DeliveredAsync(target, key, Missed(firstKept))) return;
                s.Cursor = firstKept - 1;
                await state.WriteStateAsync();
                continue;
            }
            foreach (var row in page.Rows)
            {
                var e = EventLog.Event(row);
                if (target.Events.Contains(e.Type) && !await DeliveredAsync(target, key, e)) return;
                s.Cursor = EventLog.Position(row);
            }
            await state.WriteStateAsync();
            lastDeliveredAt = clock.Now;
        }
    }

    /// <summary>
    /// One attempt within the drain: true when delivered; false when the drain stops here, because the subscription was
    /// reconfigured or deleted meanwhile (its own round follows) or because the failure is saved and its retry timed.
    /// </summary>
    private async Task<bool> DeliveredAsync(WebhookTarget target, byte[] key, MailboxEvent e)
    {
        var delivered = await DeliverAsync(target, key, e);
        if (!ReferenceEquals(state.State.Target, target)) return false;
        if (delivered) return true;
        await state.WriteStateAsync();
        if (state.State.PausedReason is null) ArmTimer(state.State.NextAttemptAt!.Value - clock.Now);
        return false;
    }

    /// <summary>One attempt; on failure schedules the retry or pauses. True when delivered.</summary>
    private async Task<bool> DeliverAsync(WebhookTarget target, byte[] key, MailboxEvent e)
    {
        var s = state.State;
        var body = Body(e);
        var now = clock.Now;
        var timestamp = now.ToUnixTimeSeconds();
        var result = await sender.SendAsync(target.Url, e.Id, timestamp, WebhookSignature.Sign(key, e.Id, timestamp, body), body);
        var attempt = s.Failures + 1;
        s.Record(new WebhookDeliveryAttempt(e.Id, e.Type, now, attempt, result.Succeeded, result.StatusCode, result.Error));
        if (result.Succeeded)
        {
            (s.Failures, s.FailingSince, s.NextAttemptAt) = (0, null, null);
            return true;
        }
        s.Failures = attempt;
        var since = s.FailingSince ??= now;
        if (retry.Pauses(since, now))
        {
            (s.PausedReason, s.PausedAt, s.NextAttemptAt) = (
                $"Deliveries have failed since {since:u} ({attempt} attempts); the last one: {result.Error} "
                + "Fix the receiver, then PUT the subscription again to resume.",
                now, null);
            logger.LogWarning("Webhook {Subscription} paused after {Attempts} failed attempts since {Since}",
                this.GetPrimaryKeyString(), attempt, since);
            await DropReminderAsync();
        }
        else
        {
            s.NextAttemptAt = now + retry.Delay(attempt, Random.Shared.NextDouble());
        }
        return false;
    }

    /// <summary>The events-missed event for a log kept from <paramref name="firstKept"/> on; its id is the same on every retry.</summary>
    private MailboxEvent Missed(long firstKept) => new(
        $"evt_missed_{TableKeys.Hash(this.GetPrimaryKeyString())}_{firstKept}", WebhookEventTypes.EventsMissed, "", clock.Now,
        MailboxEventPayloads.EventsMissed(CompanyId, options.Value.Retention));

    /// <summary>The Standard Webhooks body: id, type, timestamp and the event's data.</summary>
    public static string Body(MailboxEvent e) =>
        $"{{\"id\":{JsonSerializer.Serialize(e.Id)},\"type\":{JsonSerializer.Serialize(e.Type)},"
            + $"\"timestamp\":{JsonSerializer.Serialize(e.OccurredAt)},\"data\":{e.Data}}}";

    private byte[] Key(WebhookTarget target)
    {
        var id = this.GetPrimaryKeyString()[(CompanyId.Length + 1)..];
        try
        {
            return WebhookSecret.Key(secrets.Unprotect(target.Secret, StoredSubscription.Purpose(CompanyId, id)))
                   ?? throw new CryptographicException("The stored webhook secret is not of the whsec_ form.");
        }
        catch (CryptographicException)
        {
            logger.LogWarning("Webhook {Subscription}: its sealed secret no longer decrypts (key removed); PUT a new secret",
                this.GetPrimaryKeyString());
            throw;
        }
    }

    /// <summary>A one-shot timer for the next retry; the reminder is the backstop if this activation goes.</summary>
    private void ArmTimer(TimeSpan due)
    {
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (timer is null) timer = this.RegisterGrainTimer(() => { Kick(); return Task.CompletedTask; },
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
        else timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task HoldReminderAsync()
    {
        var period = options.Value.ReminderPeriod;
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
        reminderHeld = true;
    }

    private async Task DropReminderAsync()
    {
        if (state.State.Failures > 0 && state.State.PausedReason is null) return; // a retry is owed: the reminder stays
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null) await this.UnregisterReminder(reminder);
        reminderHeld = false;
    }
}
