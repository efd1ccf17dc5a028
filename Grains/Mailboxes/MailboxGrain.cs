using System.Security.Cryptography;
using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
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

    private readonly MailboxStatusMachine machine = new(options.Value);
    private readonly MailboxSchedule schedule = new(options.Value);
    private readonly List<MailboxError> errorsToPublish = [];
    private readonly List<MailboxError> errorsToUnpublish = [];
    private MailboxView? publishedView;
    private string? publishedKeyId;
    private DateTimeOffset publishedAt;
    private bool billingToPublish;
    private IGrainTimer? timer;
    private IGrainReminder? reminder;
    private bool reminderLoaded;

    /// <summary>When the last "sync now" ran; memory only: a new activation lets the next one run at once.</summary>
    private DateTimeOffset? lastSyncNow;

    private MailboxKey Key => MailboxKey.Parse(this.GetPrimaryKeyString());

    private MailboxLifecycle Lifecycle => state.State.Lifecycle;

    private ICompanyGrain Company => GrainFactory.GetGrain<ICompanyGrain>(Key.CompanyId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Whatever a crash kept from the company's rows is written again: the grain's state is the truth.
        errorsToPublish.AddRange(state.State.Errors.Entries);
        billingToPublish = state.State.Billing.Intervals.Count > 0;
        if (state.State.Listed) await PublishAsync();
        if (state.State.SeatReleasePending) await ReleaseSeatAsync();
        ArmTimer();
    }

    public async Task<MailboxView> Connect(MailboxCredentials credentials)
    {
        // A release still owed from an earlier disconnect must reach the company before we ask for a seat again,
        // or it would later take away the seat this connect is granted.
        if (state.State.SeatReleasePending) await ReleaseSeatAsync();
        if (!SameAccount(state.State.Credentials, credentials)) state.State.Cursors.Clear();
        state.State.Listed = true;
        state.State.Credentials = new StoredCredentials(
            credentials.Provider, credentials.Email, credentials.Username, credentials.Imap,
            secrets.Protect(credentials.Secret, StoredCredentials.Purpose(Key, credentials.Provider, credentials.Username, credentials.Imap)));
        var now = clock.Now;
        var holdsSeat = Lifecycle.Status.HoldsSeat();
        Apply(holdsSeat ? machine.Reconnect(Lifecycle, now) : machine.Queue(Lifecycle, now), now);
        await WriteAsync();
        await SyncReminderAsync();
        // Pending is persisted (with the reminder) before asking: a crash in between heals on the next reminder.
        if (!holdsSeat) await ClaimSeatAsync();
        ArmTimer();
        return View();
    }

    /// <summary>Cursors belong to one account on one server; other credentials for the same account keep them.</summary>
    private static bool SameAccount(StoredCredentials? stored, MailboxCredentials next) =>
        stored is not null && stored.Provider == next.Provider && stored.Imap == next.Imap &&
        string.Equals(stored.Username, next.Username, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(stored.Email, next.Email, StringComparison.OrdinalIgnoreCase);

    public async Task Disconnect(bool keepHistory)
    {
        Apply(machine.Disconnect(Lifecycle), clock.Now);
        state.State.Credentials = null;
        state.State.Cursors.Clear();
        state.State.SeatReleasePending = true;
        await WriteAsync();
        ArmTimer();
        // The reminder goes only once the company confirmed the release: until then it retries the release.
        await ReleaseSeatAsync();
        await SyncReminderAsync();
        if (!keepHistory) await timeline.DeleteByUserAsync(Key.CompanyId, Key.UserId);
        logger.LogInformation("Mailbox {Mailbox} disconnected (keep history: {KeepHistory})", Key, keepHistory);
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
        lastSyncNow = now;
        return new SyncNowResult(true, cooldown, View());
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
    public async Task WakeAsync()
    {
        try
        {
            await ReconcileSeatAsync();
            if (Lifecycle.IsAttemptDue(clock.Now)) await AttemptAsync();
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

    private async Task AttemptAsync()
    {
        var stored = state.State.Credentials;
        if (stored is null) return;
        var attempt = Lifecycle.ConsecutiveFailures + 1;
        MailboxCredentials credentials;
        try
        {
            credentials = new MailboxCredentials(stored.Provider, stored.Email, stored.Username, await UnsealAsync(stored), stored.Imap);
        }
        catch (CryptographicException)
        {
            // The key that sealed the secret is gone (rotated out), or the stored server or username was changed behind
            // the API: nothing is sent anywhere, only new credentials help, so say so.
            credentials = new MailboxCredentials(stored.Provider, stored.Email, stored.Username, "", stored.Imap);
            await RecordOutcomeAsync(SyncOutcome.Failure(MailboxErrorCode.AuthenticationFailed,
                "The stored credentials can no longer be decrypted (their encryption key was removed, or the stored server settings were changed). Reconnect the mailbox."),
                credentials, attempt, TimeSpan.Zero);
            return;
        }
        SyncOutcome outcome;
        var started = clock.Time.GetTimestamp();
        try
        {
            outcome = await connector.SyncAsync(
                new SyncRequest(Key, credentials, state.State.Cursors.ToDictionary(), CommitCursorAsync), CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The connector classifies everything the mail server does; what escapes it is ours to retry.
            logger.LogWarning(e, "Sync attempt of {Mailbox} failed on our side; deferred", Key);
            outcome = SyncOutcome.PlatformFault(e.GetType().Name);
        }

        await RecordOutcomeAsync(outcome, credentials, attempt, clock.Time.GetElapsedTime(started));
    }

    /// <summary>
    /// The stored secret in plain. A secret sealed before it was bound to its server (the mailbox key alone), or under a
    /// key other than the active one, is sealed again with the current purpose and key and persisted before it is used.
    /// Throws <see cref="CryptographicException"/> when it does not decrypt.
    /// </summary>
    private async Task<string> UnsealAsync(StoredCredentials stored)
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
            state.State.Credentials = stored with { Secret = secrets.Protect(plain, purpose) };
            await WriteAsync();
            logger.LogInformation("Secret of {Mailbox} re-sealed (key {From} to {To})", Key, from, secrets.ActiveKeyId);
        }
        return plain;
    }

    private async Task RecordOutcomeAsync(SyncOutcome outcome, MailboxCredentials credentials, int attempt, TimeSpan duration)
    {
        var now = clock.Now;
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
            await WriteAsync();
            return;
        }
        state.State.BusySince = null;
        MailSyncMetrics.Attempt(outcome.Succeeded, outcome.Code, outcome.MessagesSynced, duration);
        foreach (var warning in outcome.Warnings)
            Log(Entry(now, warning.Code, warning.Detail, credentials, attempt), warning: true);
        if (outcome.Succeeded)
        {
            Apply(machine.Succeeded(Lifecycle, now, Random.Shared.NextDouble(), outcome.MoreToSync), now);
            state.State.MessagesSynced += outcome.MessagesSynced;
        }
        else
        {
            Apply(machine.Failed(Lifecycle, now, Random.Shared.NextDouble(), outcome.Code), now);
            Log(Entry(now, outcome.Code, outcome.Detail, credentials, attempt));
            logger.LogInformation("Sync attempt {Attempt} of {Mailbox} failed with {Code}; now {Status}",
                attempt, Key, outcome.Code, Lifecycle.Status);
        }
        await WriteAsync();
        await SyncReminderAsync();
    }

    /// <summary>An error-log entry: the catalog's plain words and fix, and the server's own words without any secret.</summary>
    private static MailboxError Entry(DateTimeOffset at, MailboxErrorCode code, string? detail, MailboxCredentials credentials, int attempt)
    {
        var (message, fix) = ErrorCatalog.Describe(code, credentials.Provider);
        return new MailboxError(at, code, message, fix, DetailSanitizer.Clean(detail, credentials.Secret), attempt);
    }

    /// <summary>Called by the sync engine after a batch's timeline entries are written.</summary>
    private async Task CommitCursorAsync(string role, FolderCursor cursor)
    {
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
        errorsToPublish.Add(entry);
        if (oldest is not null) errorsToUnpublish.Add(oldest);
    }

    /// <summary>Persists the state (the truth), then brings the company's rows up to date with it.</summary>
    private async Task WriteAsync()
    {
        await state.WriteOrDeactivateAsync(DeactivateOnIdle);
        await PublishAsync();
    }

    /// <summary>
    /// The company's rows for this mailbox: the status row when anything a reader sees changed (the last sync time at most
    /// every <see cref="StatusRefresh"/>, so a quiet poll writes nothing), new error-log entries, the current billing
    /// interval. A failure is left for the next change to repeat: company-wide reads lag, nothing is lost.
    /// </summary>
    private async Task PublishAsync()
    {
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
                await directory.WriteErrorsAsync(Key, [.. errorsToPublish], [.. errorsToUnpublish]);
                errorsToPublish.Clear();
                errorsToUnpublish.Clear();
            }
            if (billingToPublish && state.State.Billing.Intervals is [.., var current])
            {
                await directory.WriteBillingAsync(Key, current.Start, current.End);
                billingToPublish = false;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Company rows of {Mailbox} not updated yet ({Fault}); retried with the next change", Key, e.GetType().Name);
        }

        static MailboxView Quiet(MailboxView v) => v with { LastSyncAt = null, MessagesSynced = 0, NextAttemptAt = null };
    }

    /// <summary>One one-shot timer, re-armed after every change: due at the next attempt, or stopped.</summary>
    private void ArmTimer(TimeSpan? atLeast = null)
    {
        if (MailboxSchedule.TimerDue(Lifecycle, clock.Now) is not { } due)
        {
            timer?.Dispose();
            timer = null;
            return;
        }
        if (atLeast is { } minimum && due < minimum) due = minimum;
        if (timer is null)
            timer = this.RegisterGrainTimer(_ => WakeAsync(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        else
            timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Registers or removes the durable reminder to match <see cref="MailboxSchedule.WantsReminder"/>.</summary>
    private async Task SyncReminderAsync()
    {
        if (!reminderLoaded)
        {
            reminder = await this.GetReminder(ReminderName);
            reminderLoaded = true;
        }
        var wanted = MailboxSchedule.WantsReminder(Lifecycle, state.State.SeatReleasePending);
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
