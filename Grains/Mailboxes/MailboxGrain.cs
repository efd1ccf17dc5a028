using System.Diagnostics;
using MailSync.Grains.Auth;
using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Scheduling;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
using MailSync.Grains.Webhooks;
using MailSync.Shared.Cluster;
using MailSync.Shared.Configuration;
using MailSync.Shared.Secrets;
using MailSync.Shared.Storage;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// One mailbox, as a thin Orleans shell: the commands, the seat, and the wake-up loop. The status machine decides; the
/// collaborators of this activation do the work: <see cref="MailboxRecord"/> changes and persists the state,
/// <see cref="SyncAttempt"/> runs passes, <see cref="OwedCleanup"/> does what a disconnect left owed,
/// <see cref="MailboxAlarms"/> keeps the timer and the durable reminder, <see cref="KeeperLink"/> the schedule keeper.
/// </summary>
public sealed class MailboxGrain : Grain, IMailboxGrain, IRemindable
{
    /// <summary>How soon a wake-up that hit a platform fault tries again.</summary>
    private static readonly TimeSpan PlatformRetryDelay = TimeSpan.FromSeconds(10);

    private readonly IMailboxConnector connector;
    private readonly MailSyncClock clock;
    private readonly MailSyncOptions options;
    private readonly ILogger logger;
    private readonly MailboxKey key;
    private readonly MailboxStatusMachine machine;
    private readonly MailboxRecord record;
    private readonly CredentialSeal seal;
    private readonly KeeperLink keeper;
    private readonly MailboxAlarms alarms;
    private readonly OwedCleanup cleanup;
    private readonly SyncAttempt attempts;

    /// <summary>The wake-up running now: wake-ups take turns, while every grain call may interleave with them.</summary>
    private Task? wake;

    public MailboxGrain(
        [PersistentState("mailbox", StorageNames.GrainState)] IPersistentState<MailboxState> state,
        IMailboxConnector connector, ITimelineStore timeline, MailboxDirectoryWriter directory, SecretProtector secrets,
        GoogleAccessTokens googleTokens, MailSyncClock clock, IOptions<MailSyncOptions> options, ILogger<MailboxGrain> logger)
    {
        (this.connector, this.clock, this.options, this.logger) = (connector, clock, options.Value, logger);
        key = MailboxKey.Parse(this.GetPrimaryKeyString());
        machine = new MailboxStatusMachine(this.options);
        var rows = new MailboxRowPublisher(key, directory, clock, logger);
        record = new MailboxRecord(key, state, rows, new MailboxEvents(logger), GrainFactory, clock,
            this.options.QuietStateWriteInterval, this.options.ImapTimeout, DeactivateOnIdle);
        seal = new CredentialSeal(key, secrets);
        keeper = new KeeperLink(key.ToString(), GrainContext, GrainFactory, this.options.ScheduleShards, logger);
        alarms = new MailboxAlarms(this, record, keeper, new MailboxSchedule(this.options), clock, WakeAsync);
        cleanup = new OwedCleanup(key, record, alarms, seal, timeline, googleTokens, clock, this.options, logger);
        attempts = new SyncAttempt(key, record, alarms, seal, connector, this, GrainFactory, clock, this.options, logger);
    }

    private MailboxLifecycle Lifecycle => record.Lifecycle;

    private MailboxState State => record.State;

    private ICompanyGrain Company => GrainFactory.GetGrain<ICompanyGrain>(key.CompanyId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await record.ActivateAsync();
        if (State.SeatReleasePending) await ReleaseSeatAsync();
        alarms.ArmTimer();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        keeper.Deactivating();
        return Task.CompletedTask;
    }

    public Task<ResumeAnswer> Resume() => Task.FromResult(keeper.Resume());

    public async Task<MailboxView> Connect(MailboxCredentials credentials)
    {
        // A release still owed from an earlier disconnect must reach the company before we ask for a seat again,
        // or it would later take away the seat this connect is granted.
        if (State.SeatReleasePending) await ReleaseSeatAsync();
        if (!SameAccount(State.Credentials, credentials)) State.Cursors.Clear();
        var now = clock.Now;
        cleanup.CredentialsReplaced(credentials, now);
        State.Listed = true;
        State.Credentials = seal.Seal(credentials);
        var holdsSeat = Lifecycle.Status.HoldsSeat();
        record.Apply(holdsSeat ? machine.Reconnect(Lifecycle, now) : machine.Queue(Lifecycle, now), now);
        await record.WriteAsync();
        await alarms.SyncReminderAsync();
        // Pending is persisted (with the reminder) before asking: a crash in between heals on the next reminder.
        if (!holdsSeat) await ClaimSeatAsync();
        TraceNextPassHere();
        alarms.ArmTimer();
        await keeper.KeepAsync();
        return record.View();
    }

    public async Task<CooldownResult> ConnectWithCooldown(MailboxCredentials credentials)
    {
        var now = clock.Now;
        if (Cooling(State.ConnectedAt, options.ConnectCooldown, now) is { } wait) return new CooldownResult(false, wait, record.View());
        State.ConnectedAt = now; // written with the connect
        return new CooldownResult(true, options.ConnectCooldown, await Connect(credentials));
    }

    /// <summary>How long until a request last run at <paramref name="last"/> may run again; null when it may now.</summary>
    private static TimeSpan? Cooling(DateTimeOffset? last, TimeSpan cooldown, DateTimeOffset now) =>
        last is { } at && now >= at && now - at < cooldown ? at + cooldown - now : null;

    /// <summary>Cursors belong to one account on one server; other credentials for the same account keep them.</summary>
    private static bool SameAccount(StoredCredentials? stored, MailboxCredentials next) =>
        stored is not null && stored.Provider == next.Provider && stored.Imap == next.Imap &&
        string.Equals(stored.Username, next.Username, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(stored.Email, next.Email, StringComparison.OrdinalIgnoreCase);

    public async Task Disconnect(bool keepHistory)
    {
        var now = clock.Now;
        record.Apply(machine.Disconnect(Lifecycle), now);
        cleanup.Disconnected(now);
        State.Credentials = null;
        State.Cursors.Clear();
        State.SeatReleasePending = true;
        connector.Forget(key); // no login of a disconnected mailbox stays open here, watching or not
        // Owed in the same write as the disconnect: from then on a crash or a storage fault only delays the forgetting.
        if (!keepHistory) State.HistoryDeletion ??= new HistoryDeletion(now);
        // The reminder is there before the write: a crash in between leaves a reminder with nothing to do (it removes
        // itself on its next tick), never owed work without one.
        await alarms.SyncReminderAsync();
        await record.WriteAsync();
        alarms.ArmTimer();
        // The reminder goes only once the company confirmed the release and the cleanup is done: until then it retries.
        await ReleaseSeatAsync();
        await alarms.SyncReminderAsync();
        logger.LogInformation("Mailbox {Mailbox} disconnected (keep history: {KeepHistory})", key, keepHistory);
        // A small history and a reachable Google are done before the answer; the rest follows on the timer.
        await OnPlatformAsync("Cleanup after the disconnect", async () =>
        {
            await cleanup.StepAsync();
            alarms.ArmTimer();
        });
    }

    public async Task<CooldownResult> SyncNow()
    {
        var now = clock.Now;
        if (!Lifecycle.Status.HoldsSeat()) return new CooldownResult(false, TimeSpan.Zero, record.View());
        // One activation per mailbox in the cluster, and calls to it take turns: this holds whichever API host asks.
        var cooldown = options.SyncNowCooldown;
        if (Cooling(State.SyncNowAt, cooldown, now) is { } wait) return new CooldownResult(false, wait, record.View());
        var next = machine.RetryNow(Lifecycle, now);
        var changed = next != Lifecycle;
        if (changed) record.Apply(next, now);
        State.SyncNowAt = now;
        await record.WriteAsync(); // the lifecycle (if it changed) and the time of this sync now, in one write
        if (changed)
        {
            await alarms.SyncReminderAsync(); // a retry out of ConnectionIssue syncs again: it needs its reminder back
            alarms.ArmTimer();
        }
        TraceNextPassHere();
        return new CooldownResult(true, cooldown, record.View());
    }

    public Task MailArrived()
    {
        var now = clock.Now;
        attempts.MailAnnounced(now);
        var next = machine.MailArrived(Lifecycle, now);
        if (next == Lifecycle) return Task.CompletedTask;
        record.Apply(next, now); // only the time of the next attempt: nothing to write
        alarms.ArmTimer();
        return Task.CompletedTask;
    }

    public async Task Backfill(int round)
    {
        if (!Lifecycle.Status.HoldsSeat()) return;
        await attempts.BackfillWantedAsync(round);
        // A pass soon (not counted as pushed mail), within the company's and the host's shares as any pass.
        var now = clock.Now;
        var next = machine.MailArrived(Lifecycle, now);
        if (next == Lifecycle) return;
        record.Apply(next, now);
        alarms.ArmTimer();
    }

    public Task<MailboxView> GetStatus() => Task.FromResult(record.View());

    public Task<IReadOnlyList<MailboxError>> GetErrors(int limit) => Task.FromResult(State.Errors.NewestFirst(limit));

    public Task<long> GetBillableSeconds(DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult(State.Billing.Seconds(from, to, clock.Now));

    public async Task SeatMayBeFree()
    {
        if (Lifecycle.Status == MailboxStatus.Pending) await ClaimSeatAsync();
        else if (Lifecycle.Status == MailboxStatus.NotConfigured) await ReleaseSeatAsync();
        alarms.ArmTimer();
    }

    /// <summary>
    /// What a timer wake-up does: settle the seat, run the attempt if one is due, re-arm the timer. Tests stand in for the
    /// timer under fake time through a test-only grain extension that calls this.
    /// </summary>
    /// <remarks>
    /// The timer interleaves with grain calls: a pass waiting for a socket or a login never holds up a status read, a
    /// reminder or a connect. A connect or disconnect meanwhile replaces the credentials, which the pass's outcome and
    /// cursor commits are checked against (<see cref="PassRun"/>).
    /// </remarks>
    public async Task WakeAsync(CancellationToken cancellationToken = default)
    {
        while (wake is { IsCompleted: false } running) await running.ContinueWith(static _ => { }, TaskScheduler.Current);
        var current = OnPlatformAsync("Wake-up", () => WakeOnceAsync(cancellationToken));
        wake = current;
        await current;
    }

    private async Task WakeOnceAsync(CancellationToken cancellationToken)
    {
        await ReconcileSeatAsync();
        await record.HandOffEventsAsync(); // what an earlier write could not hand off
        await cleanup.StepAsync();
        // Owed history goes first: an attempt now would write entries the next deletion step could remove.
        if (State.HistoryDeletion is null && Lifecycle.IsAttemptDue(clock.Now)) await attempts.RunAsync(cancellationToken);
        alarms.ArmTimer();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!MailboxAlarms.IsOurs(reminderName)) return;
        await ReconcileSeatAsync();
        await alarms.SyncReminderAsync();
        // The attempt itself runs on the timer, so a slow server never holds up the reminder service.
        alarms.ArmTimer();
    }

    /// <summary>
    /// Runs <paramref name="work"/>; when the company grain or storage is briefly away, tries again shortly (the reminder is
    /// the backstop). Platform faults are ours: no user's error log hears of them.
    /// </summary>
    private async Task OnPlatformAsync(string what, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (TransientFaults.Is(e) || e is PlatformFaultException)
        {
            logger.LogWarning("{What} of {Mailbox} hit a platform fault ({Fault}); retrying shortly", what, key, e.GetType().Name);
            alarms.ArmTimer(atLeast: PlatformRetryDelay);
        }
    }

    private async Task ReconcileSeatAsync()
    {
        if (State.SeatReleasePending) await ReleaseSeatAsync();
        if (Lifecycle.Status == MailboxStatus.Pending) await ClaimSeatAsync();
    }

    /// <summary>Asks the company for a seat (idempotent there) and moves to Enabled when granted.</summary>
    private async Task ClaimSeatAsync()
    {
        var decision = await Company.RequestSeat(key.UserId);
        if (!decision.Granted || Lifecycle.Status != MailboxStatus.Pending) return;
        var now = clock.Now;
        record.Apply(machine.Admit(Lifecycle, now), now);
        await record.WriteAsync();
        logger.LogInformation("Mailbox {Mailbox} got a seat", key);
    }

    private async Task ReleaseSeatAsync()
    {
        await Company.ReleaseSeat(key.UserId);
        if (!State.SeatReleasePending) return;
        State.SeatReleasePending = false;
        await record.WriteAsync();
    }

    /// <summary>The pass this call made due joins the caller's trace (one left Pending waits untraced for its seat).</summary>
    private void TraceNextPassHere() => attempts.TraceNextPass(Lifecycle.IsAttemptDue(clock.Now) ? Activity.Current?.Context : null);
}
