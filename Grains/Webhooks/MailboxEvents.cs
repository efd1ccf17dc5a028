using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Interfaces.Webhooks;
using Microsoft.Extensions.Logging;

namespace MailSync.Grains.Webhooks;

/// <summary>
/// A mailbox activation's announcer: turns its changes into events in its outbox (which the mailbox persists with the
/// change) and hands the outbox to the company's event log after each write, in order, one hand-off at a time. A failed
/// hand-off keeps the events for the next write, wake-up or activation; a repeated one is harmless (same event ids).
/// </summary>
public sealed class MailboxEvents(ILogger logger)
{
    private readonly SemaphoreSlim handing = new(1, 1);

    /// <summary>A mailbox older than its outbox announces changes from its current status on, not a made-up first one.</summary>
    public static void Activated(MailboxOutbox outbox, MailboxStatus status) => outbox.LastStatus ??= status;

    /// <summary>Before each state write: a status other than the last announced one becomes a status event.</summary>
    public void Observe(MailboxOutbox outbox, MailboxKey key, MailboxView view, DateTimeOffset now)
    {
        var old = outbox.LastStatus ?? MailboxStatus.NotConfigured;
        outbox.LastStatus = view.Status;
        if (old == view.Status) return;
        Dropped(key, outbox.Add(key, WebhookEventTypes.StatusChanged, now,
            MailboxEventPayloads.StatusChanged(key, old, view.Status, view.LastError), old, view.Status, view.LastError?.Code));
    }

    /// <summary>An error-log entry (or warning) was added.</summary>
    public void ErrorLogged(MailboxOutbox outbox, MailboxKey key, MailboxError entry) =>
        Dropped(key, outbox.Add(
            key, WebhookEventTypes.Error, entry.OccurredAt, MailboxEventPayloads.ErrorLogged(key, entry), code: entry.Code));

    /// <summary>Entries a pass added to lead timelines (persisted with the batch's cursor); one event per lead and message.</summary>
    public void MessagesAdded(MailboxOutbox outbox, MailboxKey key, IReadOnlyList<TimelineEntry> entries, DateTimeOffset now)
    {
        foreach (var e in entries)
        {
            Dropped(key, outbox.Add(key, WebhookEventTypes.MessageAdded, now,
                MailboxEventPayloads.MessageAdded(key, e.LeadId, e.MessageId, e.Subject, e.Date,
                    e.Direction == MessageDirection.Sent ? "sent" : "received", e.From)));
        }
    }

    /// <summary>
    /// After a state write: hands what is pending to the company's
    /// event log; the events leave the outbox once it took them.
    /// </summary>
    public async Task HandOffAsync(MailboxOutbox outbox, MailboxKey key, IGrainFactory grains)
    {
        if (outbox.Pending.Count == 0) return;
        await handing.WaitAsync();
        try
        {
            if (outbox.Pending.Count == 0) return;
            List<MailboxEvent> batch = [.. outbox.Pending];
            await grains.GetGrain<IEventLogBatcherGrain>(key.CompanyId).Append(batch); // with the silo's other hand-offs
            // Removed from memory now, from storage with the next write: a crash before it hands them off once more.
            outbox.Pending.RemoveAll(batch.Contains);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Events of {Mailbox} not handed to the company's log yet ({Fault}); kept for the next try",
                key, e.GetType().Name);
        }
        finally
        {
            handing.Release();
        }
    }

    private void Dropped(MailboxKey key, bool dropped)
    {
        if (dropped) logger.LogWarning("Outbox of {Mailbox} full ({Limit}): its oldest event was dropped", key, MailboxOutbox.Limit);
    }
}
