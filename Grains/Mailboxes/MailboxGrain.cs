using System.Diagnostics;
using System.Security.Cryptography;
using MailSync.Grains.Auth;
using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Scheduling;
using MailSync.Grains.Scheduling;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
using MailSync.Grains.Webhooks;
using MailSync.Shared.Cluster;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using MailSync.Shared.Secrets;
using MailSync.Shared.Storage;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// One mailbox. Orchestrates: the status machine decides, the company grain grants seats, the connector talks to
/// the mail server. A one-shot grain timer runs attempts while active; a durable reminder brings the grain back
/// after deactivation or silo loss and re-asks the company for a seat while Pending (healing a lost promotion).
/// </summary>
public sealed class MailboxGrain(
    [PersistentState("mailbox", StorageNames.GrainState)] IPersistentState<MailboxState> state,
    IMailboxConnector connector,
    ITimelineStore timeline,
    MailboxDirectoryWriter directory,
    SecretProtector secrets,
    GoogleAccessTokens googleTokens,
    MailSyncClock clock,
    IOptions<MailSyncOptions> options,
    ILogger<MailboxGrain> logger)
    : Grain, IMailboxGrain, IRemindable
{
    private const string ReminderName = "mailbox-sync";

    /// <summary>A lasting condition (no Sent folder) is said again at most this often, not on every poll.</summary>
    private static readonly TimeSpan WarningRepeatsAfter = TimeSpan.FromDays(1);

    /// <summary>How stale the last sync time in the company's status row may get.</summary>
    private static readonly TimeSpan StatusRefresh = TimeSpan.FromMinutes(5);

    /// <summary>How soon a wake-up that hit a platform fault tries again.</summary>
    private static readonly TimeSpan PlatformRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Longest one revocation request may take, so a silent Google never holds up a disconnect for long.</summary>
    private static readonly TimeSpan RevocationTimeout = TimeSpan.FromSeconds(10);

    private readonly MailboxStatusMachine machine = new(options.Value);
    private readonly MailboxSchedule schedule = new(options.Value);
    private readonly DisconnectCleanup cleanup = new(options.Value.Retry);
    private readonly List<MailboxError> errorsToPublish = [];
    private readonly List<MailboxError> errorsToUnpublish = [];
    private MailboxView? publishedView;
    private string? publishedKeyId;
    private DateTimeOffset publishedAt;
    private bool billingToPublish;
    private IGrainTimer? timer;
    private IGrainReminder? reminder;
    private bool reminderLoaded;

    /// <summary>What this activation last told its schedule keeper: kept active (polling) or not; null before telling.</summary>
    private bool? keptActive;

    private long keeperSequence;

    /// <summary>When the last "sync now" ran; memory only: a new activation lets the next one run at once.</summary>
    private DateTimeOffset? lastSyncNow;

    /// <summary>The wake-up running now: wake-ups take turns, while every grain call may interleave with them.</summary>
    private Task? wake;

    /// <summary>The sync pass running now, if any.</summary>
    private PassRun? pass;

    /// <summary>When an IDLE watch last announced new mail not yet synced (memory only: it feeds a metric).</summary>
    private DateTimeOffset? mailAnnouncedAt;

    /// <summary>The trace of the connect or "sync now" that asked for the next pass: that pass joins it.</summary>
    private ActivityContext? passTrigger;

    private readonly SemaphoreSlim publishes = new(1, 1);

    private readonly SemaphoreSlim cleaning = new(1, 1);

    /// <summary>Turns changes into outbox events and hands them to the company's event log (webhooks, change feed).</summary>
    private readonly MailboxEvents events = new(logger);

    /// <summary>When the state was last persisted (or loaded): times alone are persisted at most every MailSync:QuietStateWriteInterval.</summary>
    private DateTimeOffset lastWriteAt = clock.Now;

    private MailboxKey Key => MailboxKey.Parse(this.GetPrimaryKeyString());

    private MailboxLifecycle Lifecycle => state.State.Lifecycle;

    private ICompanyGrain Company => GrainFactory.GetGrain<ICompanyGrain>(Key.CompanyId);

    private IScheduleKeeperGrain Keeper =>
        GrainFactory.GetGrain<IScheduleKeeperGrain>(ScheduleShards.Of(this.GetPrimaryKeyString(), options.Value.ScheduleShards));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Whatever a crash kept from the company's rows is written again: the grain's state is the truth.
        errorsToPublish.AddRange(state.State.Errors.Entries);
        billingToPublish = state.State.Billing.Intervals.Count > 0;
        if (state.State.Listed) await PublishAsync();
        MailboxEvents.Activated(state.State.Outbox, Lifecycle.Status);
        await events.HandOffAsync(state.State.Outbox, Key, GrainFactory);
        if (state.State.SeatReleasePending) await ReleaseSeatAsync();
        ArmTimer();
    }

    /// <summary>A polling mailbox whose activation goes (shutdown, rebalancing) asks its keeper to bring it back at once.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (keptActive == true) Tell(keeper => keeper.Deactivated(this.GetPrimaryKeyString()));
        return Task.CompletedTask;
    }

    public Task<ResumeAnswer> Resume() =>
        Task.FromResult(new ResumeAnswer(GrainContext.Address.SiloAddress!, keptActive == true, KeeperSequence()));

    /// <summary>
    /// Orders this mailbox's reports to its keeper (one-way messages may overtake each other): wall-clock ticks, increasing
    /// within an activation, and later for a later activation as far as the silos' clocks agree.
    /// </summary>
    private long KeeperSequence() => keeperSequence = Math.Max(keeperSequence + 1, DateTime.UtcNow.Ticks);

    public async Task<MailboxView> Connect(MailboxCredentials credentials)
    {
        // A release still owed from an earlier disconnect must reach the company before we ask for a seat again,
        // or it would later take away the seat this connect is granted.
        if (state.State.SeatReleasePending) await ReleaseSeatAsync();
        if (!SameAccount(state.State.Credentials, credentials)) state.State.Cursors.Clear();
        var now = clock.Now;
        if (DisconnectCleanup.RevokesOnReplace(state.State.Credentials, credentials)) OweRevocation(state.State.Credentials, now);
        state.State.Revocations.RemoveAll(owed => DisconnectCleanup.Supersedes(credentials, owed));
        state.State.Listed = true;
        state.State.Credentials = new StoredCredentials(
            credentials.Provider, credentials.Email, credentials.Username, credentials.Imap,
            secrets.Protect(credentials.Secret, StoredCredentials.Purpose(Key, credentials.Provider, credentials.Username, credentials.Imap)));
        var holdsSeat = Lifecycle.Status.HoldsSeat();
        Apply(holdsSeat ? machine.Reconnect(Lifecycle, now) : machine.Queue(Lifecycle, now), now);
        await WriteAsync();
        await SyncReminderAsync();
        // Pending is persisted (with the reminder) before asking: a crash in between heals on the next reminder.
        if (!holdsSeat) await ClaimSeatAsync();
        TraceNextPassHere();
        ArmTimer();
        await KeepAsync();
        return View();
    }

    /// <summary>Cursors belong to one account on one server; other credentials for the same account keep them.</summary>
    private static bool SameAccount(StoredCredentials? stored, MailboxCredentials next) =>
        stored is not null && stored.Provider == next.Provider && stored.Imap == next.Imap &&
        string.Equals(stored.Username, next.Username, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(stored.Email, next.Email, StringComparison.OrdinalIgnoreCase);

    public async Task Disconnect(bool keepHistory)
    {
        var now = clock.Now;
        Apply(machine.Disconnect(Lifecycle), now);
        OweRevocation(state.State.Credentials, now);
        state.State.Credentials = null;
        state.State.Cursors.Clear();
        state.State.SeatReleasePending = true;
        connector.Forget(Key); // no login of a disconnected mailbox stays open here, watching or not
        // Owed in the same write as the disconnect: from then on a crash or a storage fault only delays the forgetting.
        if (!keepHistory) state.State.HistoryDeletion ??= new HistoryDeletion(now);
        // The reminder is there before the write: a crash in between leaves a reminder with nothing to do (it removes
        // itself on its next tick), never owed work without one.
        await SyncReminderAsync();
        await WriteAsync();
        ArmTimer();
        // The reminder goes only once the company confirmed the release and the cleanup is done: until then it retries.
        await ReleaseSeatAsync();
        await SyncReminderAsync();
        logger.LogInformation("Mailbox {Mailbox} disconnected (keep history: {KeepHistory})", Key, keepHistory);
        try
        {
            // A small history and a reachable Google are done before the answer; the rest follows on the timer.
            await CleanUpAsync();
            ArmTimer();
        }
        catch (Exception e) when (TransientFaults.Is(e) || e is PlatformFaultException)
        {
            logger.LogWarning("Cleanup after the disconnect of {Mailbox} hit a platform fault ({Fault}); retrying shortly", Key, e.GetType().Name);
            ArmTimer(atLeast: PlatformRetryDelay);
        }
    }

    /// <summary>Owes the revocation of <paramref name="stored"/>'s Google grant (nothing for other providers).</summary>
    private void OweRevocation(StoredCredentials? stored, DateTimeOffset now)
    {
        if (DisconnectCleanup.OwedBy(stored, now) is { } owed) state.State.Revocations.Add(owed);
    }

    public async Task<SyncNowResult> SyncNow()
    {
        var now = clock.Now;
        if (!Lifecycle.Status.HoldsSeat()) return new SyncNowResult(false, TimeSpan.Zero, View());
        // One activation per mailbox in the cluster, and calls to it take turns: this holds whichever API host asks.
        var cooldown = options.Value.SyncNowCooldown;
        if (lastSyncNow is { } last && now >= last && now - last < cooldown) return new SyncNowResult(false, last + cooldown - now, View());
        var next = machine.RetryNow(Lifecycle, now);
        if (next != Lifecycle)
        {
            Apply(next, now);
            await WriteAsync();
            await SyncReminderAsync(); // a retry out of ConnectionIssue syncs again: it needs its reminder back
            ArmTimer();
        }
        TraceNextPassHere();
        lastSyncNow = now;
        return new SyncNowResult(true, cooldown, View());
    }

    public Task MailArrived()
    {
        var now = clock.Now;
        mailAnnouncedAt ??= now;
        var next = machine.MailArrived(Lifecycle, now);
        if (next == Lifecycle) return Task.CompletedTask;
        Apply(next, now); // only the time of the next attempt: nothing to write
        ArmTimer();
        return Task.CompletedTask;
    }

    /// <summary>What the silo's IDLE watch calls: a message through the grain, since it runs outside this activation.</summary>
    private Func<Task> MailArrivedCallback()
    {
        var self = this.AsReference<IMailboxGrain>();
        return self.MailArrived;
    }

    public Task<MailboxView> GetStatus() => Task.FromResult(View());

    public Task<IReadOnlyList<MailboxError>> GetErrors(int limit) => Task.FromResult(state.State.Errors.NewestFirst(limit));

    public Task<long> GetBillableSeconds(DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult(state.State.Billing.Seconds(from, to, clock.Now));

    public async Task SeatMayBeFree()
    {
        if (Lifecycle.Status == MailboxStatus.Pending) await ClaimSeatAsync();
        else if (Lifecycle.Status == MailboxStatus.NotConfigured) await ReleaseSeatAsync();
        ArmTimer();
    }

    /// <summary>
    /// What a timer wake-up does: settle the seat, run the attempt if one is due, re-arm the timer. Tests stand in for the
    /// timer under fake time through a test-only grain extension that calls this.
    /// </summary>
    /// <remarks>
    /// The timer interleaves with grain calls (<see cref="ArmTimer"/>): a pass waiting for a socket or a login never holds up
    /// a status read, a reminder or a connect. A connect or disconnect meanwhile replaces the credentials, which the
    /// pass's outcome and cursor commits are checked against (<see cref="PassRun"/>).
    /// </remarks>
    public async Task WakeAsync(CancellationToken cancellationToken = default)
    {
        while (wake is { IsCompleted: false } running) await running.ContinueWith(static _ => { }, TaskScheduler.Current);
        var current = WakeOnceAsync(cancellationToken);
        wake = current;
        await current;
    }

    private async Task WakeOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileSeatAsync();
            await events.HandOffAsync(state.State.Outbox, Key, GrainFactory); // one an earlier write could not hand off
            await CleanUpAsync();
            // Owed history goes first: an attempt now would write entries the next deletion step could remove.
            if (state.State.HistoryDeletion is null && Lifecycle.IsAttemptDue(clock.Now)) await AttemptAsync(cancellationToken);
            ArmTimer();
        }
        catch (Exception e) when (TransientFaults.Is(e) || e is PlatformFaultException)
        {
            // The company grain or storage is briefly away: try again shortly (the reminder is the backstop).
            logger.LogWarning("Wake-up of {Mailbox} hit a platform fault ({Fault}); retrying shortly", Key, e.GetType().Name);
            ArmTimer(atLeast: PlatformRetryDelay);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        await ReconcileSeatAsync();
        await SyncReminderAsync();
        // The attempt itself runs on the timer, so a slow server never holds up the reminder service.
        ArmTimer();
    }

    private async Task ReconcileSeatAsync()
    {
        if (state.State.SeatReleasePending) await ReleaseSeatAsync();
        if (Lifecycle.Status == MailboxStatus.Pending) await ClaimSeatAsync();
    }

    /// <summary>
    /// One step of the work a disconnect left owed: the revocations that are due, then one bounded chunk of the history,
    /// each saved on its own. A storage fault throws <see cref="PlatformFaultException"/>: the caller tries again shortly,
    /// and the reminder brings the grain back for it after a crash. No user's error log ever hears of it.
    /// </summary>
    private async Task CleanUpAsync()
    {
        // The interleaved timer may wake up while a disconnect runs its own first step: steps take turns, each seeing
        // what the one before it saved (two at once would revoke one grant twice).
        await cleaning.WaitAsync();
        try
        {
            await CleanUpStepAsync();
        }
        finally
        {
            cleaning.Release();
        }
    }

    private async Task CleanUpStepAsync()
    {
        var worked = await RevokeDueAsync();
        if (worked) await WriteAsync();
        if (state.State.HistoryDeletion is { } deletion)
        {
            worked = true;
            TimelineDeletionStep step;
            try
            {
                step = await timeline.DeleteByUserAsync(Key.CompanyId, Key.UserId, options.Value.HistoryDeletionChunk, deletion.From);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new PlatformFaultException("Removing the mailbox's timeline entries", e);
            }
            // Saved before the next step: a crash repeats at most this step, which finds nothing of what it removed.
            state.State.HistoryDeletion = step.Done ? null : deletion with { From = step.Next };
            await WriteAsync();
            if (step.Done) logger.LogInformation("History of {Mailbox} removed (owed since {Since})", Key, deletion.Since);
        }
        if (worked && !state.State.CleanupOwed) await SyncReminderAsync();
    }

    /// <summary>Tries every revocation that is due; true when any of them changed (done, rescheduled or given up).</summary>
    private async Task<bool> RevokeDueAsync()
    {
        var now = clock.Now;
        var due = state.State.Revocations.Where(owed => owed.NextAttemptAt <= now).ToList();
        foreach (var owed in due)
        {
            var next = await RevokeAsync(owed, now);
            var at = state.State.Revocations.IndexOf(owed);
            if (next is null) state.State.Revocations.RemoveAt(at);
            else state.State.Revocations[at] = next;
        }
        return due.Count > 0;
    }

    /// <summary>One attempt to revoke an owed grant: null when it is settled (revoked, already invalid, or given up).</summary>
    private async Task<OwedRevocation?> RevokeAsync(OwedRevocation owed, DateTimeOffset now)
    {
        string refreshToken;
        try
        {
            refreshToken = Unseal(owed.Credentials);
        }
        catch (CryptographicException)
        {
            logger.LogWarning("Google grant of {Mailbox} not revoked: its sealed token no longer decrypts (key removed)", Key);
            return null;
        }
        try
        {
            using var timeout = new CancellationTokenSource(RevocationTimeout);
            var revoked = await googleTokens.RevokeAsync(refreshToken, timeout.Token);
            logger.LogInformation(revoked ? "Google grant of {Mailbox} revoked" : "Google grant of {Mailbox} was no longer valid; nothing to revoke", Key);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var next = cleanup.AfterFailure(owed, now, Random.Shared.NextDouble());
            if (next is null)
            {
                logger.LogWarning("Gave up revoking the Google grant of {Mailbox}: not accepted since {Since} ({Attempts} attempts, last {Fault})",
                    Key, owed.Since, owed.FailedAttempts + 1, e.GetType().Name);
            }
            else
            {
                logger.LogInformation("Revoking the Google grant of {Mailbox} failed ({Fault}); trying again at {At}", Key, e.GetType().Name, next.NextAttemptAt);
            }
            return next;
        }
    }

    /// <summary>Asks the company for a seat (idempotent there) and moves to Enabled when granted.</summary>
    private async Task ClaimSeatAsync()
    {
        var decision = await Company.RequestSeat(Key.UserId);
        if (!decision.Granted || Lifecycle.Status != MailboxStatus.Pending) return;
        var now = clock.Now;
        Apply(machine.Admit(Lifecycle, now), now);
        await WriteAsync();
        logger.LogInformation("Mailbox {Mailbox} got a seat", Key);
    }

    private async Task ReleaseSeatAsync()
    {
        await Company.ReleaseSeat(Key.UserId);
        if (!state.State.SeatReleasePending) return;
        state.State.SeatReleasePending = false;
        await WriteAsync();
    }

    private async Task AttemptAsync(CancellationToken cancellationToken)
    {
        var stored = state.State.Credentials;
        if (stored is null) return;
        var (trigger, key) = (passTrigger, Key);
        passTrigger = null;
        using var activity = MailSyncActivities.StartPass(trigger, key.CompanyId, key.UserId);
        // Every log line of the pass (engine, pool, stores) carries who and which pass; the trace id comes with the activity.
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["CompanyId"] = key.CompanyId,
            ["UserId"] = key.UserId,
            ["PassId"] = activity?.SpanId.ToHexString() ?? ActivitySpanId.CreateRandom().ToHexString(),
        });
        if (Lifecycle.NextAttemptAt is { } due) MailSyncMetrics.AttemptLag(clock.Now - due);
        var attempt = Lifecycle.ConsecutiveFailures + 1;
        MailboxCredentials credentials;
        try
        {
            (var plain, stored) = await UnsealAsync(stored);
            // A connect or disconnect interleaved with the re-sealing write: the next wake-up takes the new credentials.
            if (!ReferenceEquals(stored, state.State.Credentials)) return;
            credentials = new MailboxCredentials(stored.Provider, stored.Email, stored.Username, plain, stored.Imap);
        }
        catch (CryptographicException)
        {
            // The key that sealed the secret is gone (rotated out), or the stored server or username was changed behind
            // the API: nothing is sent anywhere, only new credentials help, so say so.
            credentials = new MailboxCredentials(stored.Provider, stored.Email, stored.Username, "", stored.Imap);
            await RecordOutcomeAsync(SyncOutcome.Failure(MailboxErrorCode.AuthenticationFailed,
                "The stored credentials can no longer be decrypted (their encryption key was removed, or the stored server settings were changed). Reconnect the mailbox."),
                credentials, attempt, TimeSpan.Zero, Random.Shared.NextDouble());
            return;
        }
        SyncOutcome outcome;
        var started = clock.Time.GetTimestamp();
        // The jitter of the next poll is drawn now, so the session pool knows when this mailbox polls again.
        var jitter = Random.Shared.NextDouble();
        using var run = new PassRun(stored, cancellationToken);
        pass = run;
        var announced = mailAnnouncedAt;
        mailAnnouncedAt = null;
        if (announced is { } announcedAt) MailSyncMetrics.MailPushStarted(clock.Now - announcedAt);
        try
        {
            var syncing = connector.SyncAsync(
                new SyncRequest(Key, credentials, state.State.Cursors.ToDictionary(), (role, cursor) => CommitCursorAsync(run, role, cursor))
                {
                    NextPollIn = RetryBackoff.Jitter(options.Value.PollInterval, options.Value.PollJitter, jitter),
                    MailArrived = MailArrivedCallback(),
                    Pushed = announced is not null,
                    EntriesAdded = added => { if (IsCurrent(run)) events.MessagesAdded(state.State.Outbox, Key, added, clock.Now); },
                },
                run.Token);
            run.Syncing = syncing;
            outcome = await syncing;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The connector classifies everything the mail server does; what escapes it is ours to retry.
            if (IsCurrent(run)) logger.LogWarning(e, "Sync attempt of {Mailbox} failed on our side; deferred", Key);
            outcome = SyncOutcome.PlatformFault(e.GetType().Name);
        }
        finally
        {
            if (pass == run) pass = null;
        }
        if (announced is { } at)
        {
            if (outcome.Succeeded) MailSyncMetrics.MailPushed(clock.Now - at);
            else mailAnnouncedAt ??= at; // the retry syncs the announced mail
        }

        // A connect or disconnect while the pass ran decided anew: the old credentials' outcome is dropped.
        if (!IsCurrent(run))
        {
            logger.LogDebug("Outcome of a pass of {Mailbox} dropped: its credentials were replaced meanwhile", Key);
            if (state.State.Credentials is null) connector.Forget(Key); // the pass kept its session after the disconnect
            return;
        }
        MailSyncActivities.PassEnded(activity, outcome.Succeeded ? "ok" : outcome.Deferred ? outcome.Deferral.ToString() : outcome.Code.ToString(),
            failed: !outcome.Succeeded && !outcome.Deferred, outcome.MessagesSynced);
        await RecordOutcomeAsync(outcome, credentials, attempt, clock.Time.GetElapsedTime(started), jitter);
        // Announced while the pass ran (by the watch it began as it returned the session, so mail the pass did not see):
        // the success just scheduled the next poll an interval away, so bring it back to now.
        if (outcome.Succeeded && mailAnnouncedAt is not null) Apply(machine.MailArrived(Lifecycle, clock.Now), clock.Now);
    }

    /// <summary>The pass this call made due joins the caller's trace (one left Pending waits untraced for its seat).</summary>
    private void TraceNextPassHere() => passTrigger = Lifecycle.IsAttemptDue(clock.Now) ? Activity.Current?.Context : null;

    /// <summary>Whether <paramref name="run"/> still syncs the mailbox's credentials (a connect or disconnect replaces them).</summary>
    private bool IsCurrent(PassRun run) => ReferenceEquals(run.Credentials, state.State.Credentials);

    /// <summary>
    /// A pass of credentials since replaced is cancelled, and the change waits (briefly) for it to end, so none of its
    /// timeline writes lands after the change, such as after a disconnect's deletion of the user's timeline.
    /// </summary>
    private async Task SettleStalePassAsync()
    {
        if (pass is not { } running || IsCurrent(running)) return;
        await running.CancelAsync();
        if (running.Syncing is not { } syncing) return;
        try
        {
            await syncing.WaitAsync(options.Value.ImapTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Its failure (or cancellation) is dropped with its outcome.
        }
    }

    /// <summary>
    /// The stored secret in plain. A secret sealed before it was bound to its server (the mailbox key alone), or under a
    /// key other than the active one, is sealed again with the current purpose and key and persisted before it is used.
    /// Throws <see cref="CryptographicException"/> when it does not decrypt.
    /// </summary>
    private async Task<(string Plain, StoredCredentials Stored)> UnsealAsync(StoredCredentials stored)
    {
        var purpose = stored.Purpose(Key);
        string plain;
        var reseal = !secrets.IsActive(stored.Secret);
        try
        {
            plain = secrets.Unprotect(stored.Secret, purpose);
        }
        catch (CryptographicException)
        {
            plain = secrets.Unprotect(stored.Secret, StoredCredentials.LegacyPurpose(Key));
            reseal = true;
        }
        if (reseal)
        {
            var from = stored.Secret.KeyId;
            stored = stored with { Secret = secrets.Protect(plain, purpose) };
            state.State.Credentials = stored;
            await WriteAsync();
            logger.LogInformation("Secret of {Mailbox} re-sealed (key {From} to {To})", Key, from, secrets.ActiveKeyId);
        }
        return (plain, stored);
    }

    /// <summary>The stored secret in plain, under its purpose or the legacy one; throws <see cref="CryptographicException"/>.</summary>
    private string Unseal(StoredCredentials stored)
    {
        try
        {
            return secrets.Unprotect(stored.Secret, stored.Purpose(Key));
        }
        catch (CryptographicException)
        {
            return secrets.Unprotect(stored.Secret, StoredCredentials.LegacyPurpose(Key));
        }
    }

    private async Task RecordOutcomeAsync(SyncOutcome outcome, MailboxCredentials credentials, int attempt, TimeSpan duration, double jitter)
    {
        var now = clock.Now;
        var before = Significant();
        if (outcome.Deferred)
        {
            MailSyncMetrics.Deferral(outcome.Deferral.ToString());
            if (outcome.Deferral == SyncDeferral.Busy)
            {
                var waitingSince = state.State.BusySince ??= now;
                if (now - waitingSince > options.Value.PollInterval)
                {
                    Log(Entry(now, MailboxErrorCode.SyncDelayed,
                        "Every IMAP connection this service may open for this mailbox was busy for longer than the poll interval.", credentials, attempt),
                        warning: true);
                }
            }
            Apply(machine.Deferred(Lifecycle, now, Random.Shared.NextDouble()), now);
            await PersistIfChangedAsync(before, now);
            return;
        }
        state.State.BusySince = null;
        MailSyncMetrics.Attempt(outcome.Succeeded, outcome.Code, outcome.MessagesSynced, duration);
        foreach (var warning in outcome.Warnings)
            Log(Entry(now, warning.Code, warning.Detail, credentials, attempt), warning: true);
        if (outcome.Succeeded)
        {
            Apply(machine.Succeeded(Lifecycle, now, jitter, outcome.MoreToSync), now);
            state.State.MessagesSynced += outcome.MessagesSynced;
        }
        else
        {
            Apply(machine.Failed(Lifecycle, now, Random.Shared.NextDouble(), outcome.Code), now);
            Log(Entry(now, outcome.Code, outcome.Detail, credentials, attempt));
            logger.LogInformation("Sync attempt {Attempt} of {Mailbox} failed with {Code}; now {Status}",
                attempt, Key, outcome.Code, Lifecycle.Status);
        }
        await PersistIfChangedAsync(before, now);
        await SyncReminderAsync();
    }

    /// <summary>
    /// What a reader or a restart must not lose: everything but the times of the last and next attempt (the first sync
    /// counts: "never synced" must not come back). Cursors persist themselves as they move. A poll that changes only those
    /// times writes nothing (N mailboxes would otherwise write N rows per poll interval); a crash then costs an
    /// earlier attempt and a slightly older last sync time.
    /// </summary>
    private (MailboxLifecycle Lifecycle, bool Synced, int Errors, MailboxError? Newest, long Messages, bool Busy, int Intervals, bool Billed) Significant()
    {
        var s = state.State;
        return (s.Lifecycle with { NextAttemptAt = null, LastSyncAt = null }, s.Lifecycle.LastSyncAt is not null, s.Errors.Entries.Count,
            s.Errors.Newest, s.MessagesSynced, s.BusySince is not null, s.Billing.Intervals.Count, s.Billing.IsOpen);
    }

    /// <summary>Persists when something <see cref="Significant"/> changed, or the times were last persisted a while ago.</summary>
    private async Task PersistIfChangedAsync(
        (MailboxLifecycle, bool, int, MailboxError?, long, bool, int, bool) before, DateTimeOffset now)
    {
        if (Significant() != before || now - lastWriteAt >= options.Value.QuietStateWriteInterval) await WriteAsync();
        else await PublishAsync(); // throttled by itself: the status row's last sync time at most every few minutes
    }

    /// <summary>An error-log entry: the catalog's plain words and fix, and the server's own words without any secret.</summary>
    private static MailboxError Entry(DateTimeOffset at, MailboxErrorCode code, string? detail, MailboxCredentials credentials, int attempt)
    {
        var (message, fix) = ErrorCatalog.Describe(code, credentials.Provider);
        return new MailboxError(at, code, message, fix, DetailSanitizer.Clean(detail, credentials.Secret), attempt);
    }

    /// <summary>Called by the sync engine after a batch's timeline entries are written.</summary>
    private async Task CommitCursorAsync(PassRun run, string role, FolderCursor cursor)
    {
        if (!IsCurrent(run))
        {
            // The credentials changed under the pass (their cursors were cleared): stop it, keep nothing of it.
            await run.CancelAsync();
            throw new OperationCanceledException(run.Token);
        }
        state.State.Cursors[role] = cursor;
        // Cursors once keyed by the server's folder names are superseded by their role's cursor.
        foreach (var legacy in state.State.Cursors.Keys.Where(k => !FolderRoles.IsRole(k)).ToList()) state.State.Cursors.Remove(legacy);
        try
        {
            await WriteAsync();
        }
        catch (Exception e)
        {
            throw new PlatformFaultException("Saving the sync position", e);
        }
    }

    /// <summary>Moves to <paramref name="next"/>, opening or closing the billing interval at <paramref name="now"/>.</summary>
    private void Apply(MailboxLifecycle next, DateTimeOffset now)
    {
        if (next.Status != state.State.Lifecycle.Status) MailSyncMetrics.Transition(next.Status);
        state.State.Lifecycle = next;
        var billedBefore = state.State.Billing.IsOpen;
        state.State.Billing.Record(next.Status.IsBilled(), now);
        billingToPublish |= billedBefore != state.State.Billing.IsOpen;
    }

    /// <summary>Adds an entry to the error log (a warning at most once a day) and queues it for the company error log.</summary>
    private void Log(MailboxError entry, bool warning = false)
    {
        var log = state.State.Errors;
        var oldest = log.Entries.Count >= ErrorLog.Capacity ? log.Entries[0] : null;
        if (warning && !log.AddWarning(entry, WarningRepeatsAfter)) return;
        if (!warning) log.Add(entry);
        events.ErrorLogged(state.State.Outbox, Key, entry);
        errorsToPublish.Add(entry);
        if (oldest is not null) errorsToUnpublish.Add(oldest);
    }

    /// <summary>Persists the state (the truth), then brings the company's rows up to date with it.</summary>
    private async Task WriteAsync()
    {
        await SettleStalePassAsync();
        events.Observe(state.State.Outbox, Key, View(), clock.Now); // the change's event is stored in the same write
        // Interleaved turns (a pass, a connect) may write at once: Orleans queues one activation's storage operations.
        await state.WriteOrDeactivateAsync(DeactivateOnIdle);
        lastWriteAt = clock.Now;
        await PublishAsync();
        await events.HandOffAsync(state.State.Outbox, Key, GrainFactory);
    }

    /// <summary>
    /// The company's rows for this mailbox: the status row when anything a reader sees changed (the last sync time at most
    /// every <see cref="StatusRefresh"/>, so a quiet poll writes nothing), new error-log entries, the current billing
    /// interval. A failure is left for the next change to repeat: company-wide reads lag, nothing is lost.
    /// </summary>
    private async Task PublishAsync()
    {
        // Interleaved turns publish one at a time: what a publish sends is taken off the queues only once it is sent.
        await publishes.WaitAsync();
        try
        {
            var view = View();
            var now = clock.Now;
            var keyId = state.State.Credentials?.Secret.KeyId;
            // A mailbox never connected has no row: a disconnect of a typo must not list a user who does not exist.
            if (state.State.Listed && (publishedView is null || Quiet(view) != Quiet(publishedView) || keyId != publishedKeyId ||
                                       now - publishedAt >= StatusRefresh))
            {
                await directory.WriteStatusAsync(view, keyId);
                (publishedView, publishedAt, publishedKeyId) = (view, now, keyId);
            }
            if (errorsToPublish.Count > 0 || errorsToUnpublish.Count > 0)
            {
                List<MailboxError> added = [.. errorsToPublish], removed = [.. errorsToUnpublish];
                await directory.WriteErrorsAsync(Key, added, removed);
                errorsToPublish.RemoveRange(0, added.Count);
                errorsToUnpublish.RemoveRange(0, removed.Count);
            }
            if (billingToPublish && state.State.Billing.Intervals is [.., var current])
            {
                billingToPublish = false; // a change while this is sent sets it again
                try
                {
                    await directory.WriteBillingAsync(Key, current.Start, current.End);
                }
                catch
                {
                    billingToPublish = true;
                    throw;
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Company rows of {Mailbox} not updated yet ({Fault}); retried with the next change", Key, e.GetType().Name);
        }
        finally
        {
            publishes.Release();
        }

        static MailboxView Quiet(MailboxView v) => v with { LastSyncAt = null, MessagesSynced = 0, NextAttemptAt = null };
    }

    /// <summary>
    /// One one-shot timer, re-armed after every change: due at the next attempt or owed cleanup step, or stopped. A mailbox
    /// with a timer has work coming, so its schedule keeper keeps it active (told once per change, and once per activation
    /// with this silo's address).
    /// </summary>
    private void ArmTimer(TimeSpan? atLeast = null)
    {
        var now = clock.Now;
        var next = MailboxSchedule.TimerDue(Lifecycle, now, DisconnectCleanup.DueAt(state.State.HistoryDeletion, state.State.Revocations, now));
        if ((next is not null) != keptActive)
        {
            var polls = next is not null;
            // An activation that does not poll has nothing to say (a stale entry is dropped when the keeper resumes it).
            var tell = polls || keptActive == true;
            keptActive = polls;
            var mailbox = this.GetPrimaryKeyString();
            var silo = GrainContext.Address.SiloAddress!;
            var sequence = KeeperSequence();
            if (tell) Tell(keeper => polls ? keeper.Watch(mailbox, silo, sequence) : keeper.Unwatch(mailbox, sequence));
        }
        if (next is not { } due)
        {
            timer?.Dispose();
            timer = null;
            return;
        }
        if (atLeast is { } minimum && due < minimum) due = minimum;
        if (timer is null)
            timer = this.RegisterGrainTimer(WakeAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true, Interleave = true });
        else
            timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// A new connection waits until its keeper saved it: a silo lost a moment later must not take the only record of a mailbox
    /// to keep polling with it. A keeper that cannot answer leaves it to the one-way Watch already sent and the reminder.
    /// </summary>
    private async Task KeepAsync()
    {
        if (keptActive != true) return;
        try
        {
            await Keeper.Keep(this.GetPrimaryKeyString(), GrainContext.Address.SiloAddress!, KeeperSequence()).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Schedule keeper of {Mailbox} did not confirm ({Fault}); the reminder is the backstop", Key, e.GetType().Name);
        }
    }

    /// <summary>
    /// A one-way message to the keeper: it never waits and never fails the mailbox's turn (a lost message is healed by the
    /// next activation's report and, last, by the reminder).
    /// </summary>
    private void Tell(Func<IScheduleKeeperGrain, Task> message)
    {
        try
        {
            _ = message(Keeper);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("Schedule keeper of {Mailbox} not told ({Fault})", Key, e.GetType().Name);
        }
    }

    /// <summary>Registers or removes the durable reminder to match <see cref="MailboxSchedule.WantsReminder"/>.</summary>
    private async Task SyncReminderAsync()
    {
        if (!reminderLoaded)
        {
            reminder = await this.GetReminder(ReminderName);
            reminderLoaded = true;
        }
        var wanted = MailboxSchedule.WantsReminder(Lifecycle, state.State.SeatReleasePending, state.State.CleanupOwed);
        if (wanted && reminder is null)
        {
            reminder = await this.RegisterOrUpdateReminder(ReminderName, schedule.FirstReminderDue(Random.Shared.NextDouble()), schedule.ReminderPeriod);
        }
        else if (!wanted && reminder is not null)
        {
            await this.UnregisterReminder(reminder);
            reminder = null;
        }
    }

    private MailboxView View()
    {
        var s = state.State;
        var l = s.Lifecycle;
        // The last error explains a failing status; once a pass succeeds it is history, kept in the error log.
        var lastError = l.Status is MailboxStatus.Error or MailboxStatus.ConnectionIssue ? s.Errors.Newest : null;
        return new MailboxView(Key.CompanyId, Key.UserId, s.Credentials?.Email, s.Credentials?.Provider, l.Status, l.LastSyncAt,
            lastError, s.MessagesSynced, l.PendingSince, l.FailingSince, l.NextAttemptAt);
    }
}
