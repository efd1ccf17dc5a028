using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Webhooks;
using MailSync.Shared.Diagnostics;
using MailSync.Shared.Time;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// A mailbox's state and the one way it changes: transitions (which open and close billing), error-log entries, and
/// writes that carry the change's event and then bring the company's rows and event log up to date. One per activation,
/// on the grain's scheduler; every collaborator of the grain changes the state through it.
/// </summary>
internal sealed class MailboxRecord(
    MailboxKey key,
    IPersistentState<MailboxState> state,
    MailboxRowPublisher rows,
    MailboxEvents events,
    IGrainFactory grains,
    MailSyncClock clock,
    TimeSpan quietWriteInterval,
    TimeSpan passSettleTimeout,
    Action deactivate)
{
    /// <summary>A lasting condition (no Sent folder) is said again at most this often, not on every poll.</summary>
    private static readonly TimeSpan WarningRepeatsAfter = TimeSpan.FromDays(1);

    /// <summary>When the state was last persisted (or loaded): times alone are persisted at most every quiet write interval.</summary>
    private DateTimeOffset lastWriteAt = clock.Now;

    public MailboxState State => state.State;

    public MailboxLifecycle Lifecycle => state.State.Lifecycle;

    /// <summary>The sync pass running now, if any.</summary>
    public PassRun? Pass { get; set; }

    /// <summary>Whether <paramref name="run"/> still syncs the mailbox's credentials (a connect or disconnect replaces them).</summary>
    public bool IsCurrent(PassRun run) => ReferenceEquals(run.Credentials, State.Credentials);

    /// <summary>On activation: the company's rows and event log get again whatever a crash may have kept from them.</summary>
    public async Task ActivateAsync()
    {
        rows.Restore(State);
        if (State.Listed) await rows.PublishAsync(State, View());
        MailboxEvents.Activated(State.Outbox, Lifecycle.Status);
        await HandOffEventsAsync();
    }

    /// <summary>Hands events an earlier write could not hand off to the company's event log.</summary>
    public Task HandOffEventsAsync() => events.HandOffAsync(State.Outbox, key, grains);

    /// <summary>Moves to <paramref name="next"/>, opening or closing the billing interval at <paramref name="now"/>.</summary>
    public void Apply(MailboxLifecycle next, DateTimeOffset now)
    {
        if (next.Status != State.Lifecycle.Status) MailSyncMetrics.Transition(next.Status);
        State.Lifecycle = next;
        var billedBefore = State.Billing.IsOpen;
        State.Billing.Record(next.Status.IsBilled(), now);
        if (billedBefore != State.Billing.IsOpen) rows.BillingChanged();
    }

    /// <summary>Adds an entry to the error log (a warning at most once a day), announces it and queues it for the company's log.</summary>
    public void Log(MailboxError entry, bool warning = false)
    {
        var log = State.Errors;
        var oldest = log.Entries.Count >= ErrorLog.Capacity ? log.Entries[0] : null;
        if (warning && !log.AddWarning(entry, WarningRepeatsAfter)) return;
        if (!warning) log.Add(entry);
        events.ErrorLogged(State.Outbox, key, entry);
        rows.ErrorLogged(entry, oldest);
    }

    /// <summary>Takes a pass's committed cursors into the state (a null cursor forgets its folder); true if any was given.</summary>
    public bool ApplyCursors(IReadOnlyDictionary<string, FolderCursor?> changes)
    {
        foreach (var (folder, cursor) in changes)
        {
            if (cursor is null) State.Cursors.Remove(folder);
            else State.Cursors[folder] = cursor;
        }
        return changes.Count > 0;
    }

    /// <summary>
    /// Entries a pass added to lead timelines: announced with the cursor write that follows. The outbox drops none: before
    /// it would pass its capacity, what it holds is written and handed off; if the company's log does not take it, the
    /// pass stops here (ours to retry) before its cursor moves past these messages.
    /// </summary>
    public async Task MessagesAddedAsync(IReadOnlyList<TimelineEntry> added)
    {
        foreach (var slice in added.Chunk(MailboxOutbox.Capacity))
        {
            if (State.Outbox.Pending.Count + slice.Length > MailboxOutbox.Capacity)
            {
                try
                {
                    await WriteAsync();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new PlatformFaultException("Saving the mailbox's events", e);
                }
                if (State.Outbox.Pending.Count + slice.Length > MailboxOutbox.Capacity)
                    throw new PlatformFaultException("Handing events to the company's log", null);
            }
            events.MessagesAdded(State.Outbox, key, slice, clock.Now);
        }
    }

    /// <summary>Persists the state (the truth), then brings the company's rows and event log up to date with it.</summary>
    public async Task WriteAsync()
    {
        await SettleStalePassAsync();
        events.Observe(State.Outbox, key, View(), clock.Now); // the change's event is stored in the same write
        // Interleaved turns (a pass, a connect) may write at once: Orleans queues one activation's storage operations.
        await state.WriteOrDeactivateAsync(deactivate);
        lastWriteAt = clock.Now;
        await rows.PublishAsync(State, View());
        await HandOffEventsAsync();
    }

    /// <summary>
    /// What a reader or a restart must not lose: everything but the times of the last and next attempt (the first sync
    /// counts: "never synced" must not come back). A poll that changes only those times writes nothing (N mailboxes would
    /// otherwise write N rows per poll interval); a crash then costs an earlier attempt and a slightly older last sync time.
    /// </summary>
    public Significance Significant() => new(
        Lifecycle with { NextAttemptAt = null, LastSyncAt = null }, Lifecycle.LastSyncAt is not null, State.Errors.Entries.Count,
        State.Errors.Newest, State.MessagesSynced, State.BusySince is not null, State.Billing.Intervals.Count, State.Billing.IsOpen);

    /// <summary>
    /// Persists when something <see cref="Significant"/> changed since <paramref name="before"/>, the times were last
    /// persisted a while ago, or the caller changed what must be stored (<paramref name="changed"/>: a pass's cursors).
    /// </summary>
    public async Task PersistIfChangedAsync(Significance before, DateTimeOffset now, bool changed = false)
    {
        if (changed || Significant() != before || now - lastWriteAt >= quietWriteInterval) await WriteAsync();
        else await rows.PublishAsync(State, View()); // throttled by itself: the status row's last sync time at most every few minutes
    }

    public MailboxView View()
    {
        var s = State;
        var l = s.Lifecycle;
        // The last error explains a failing status; once a pass succeeds it is history, kept in the error log.
        var lastError = l.Status is MailboxStatus.Error or MailboxStatus.ConnectionIssue ? s.Errors.Newest : null;
        return new MailboxView(key.CompanyId, key.UserId, s.Credentials?.Email, s.Credentials?.Provider, l.Status, l.LastSyncAt,
            lastError, s.MessagesSynced, l.PendingSince, l.FailingSince, l.NextAttemptAt);
    }

    /// <summary>
    /// A pass of credentials since replaced is cancelled, and the change waits (briefly) for it to end, so none of its
    /// timeline writes lands after the change, such as after a disconnect's deletion of the user's timeline.
    /// </summary>
    private async Task SettleStalePassAsync()
    {
        if (Pass is not { } running || IsCurrent(running)) return;
        await running.CancelAsync();
        if (running.Syncing is not { } syncing) return;
        try
        {
            await syncing.WaitAsync(passSettleTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Its failure (or cancellation) is dropped with its outcome.
        }
    }

    /// <summary>The parts of the state whose change is written at once.</summary>
    internal readonly record struct Significance(
        MailboxLifecycle Lifecycle, bool Synced, int Errors, MailboxError? Newest, long Messages, bool Busy, int Intervals, bool Billed);
}
