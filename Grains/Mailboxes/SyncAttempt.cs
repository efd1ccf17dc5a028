using System.Diagnostics;
using System.Security.Cryptography;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// Runs a mailbox's sync attempts: opens the sealed credentials (sealing them again under the active key when due), runs a
/// pass through the connector with the folder cursors, commits each batch's cursor (the last one with the outcome), and
/// records the outcome through <see cref="OutcomePolicy"/>. A connect or disconnect while a pass runs replaces the
/// credentials, which makes the pass stale: its cursor commits and its outcome are dropped. One per activation.
/// </summary>
internal sealed class SyncAttempt(
    MailboxKey key, MailboxRecord record, MailboxAlarms alarms, CredentialSeal seal, IMailboxConnector connector,
    IAddressable self, IGrainFactory grains, MailSyncClock clock, MailSyncOptions options, ILogger logger)
{
    private readonly OutcomePolicy policy = new(options);
    private readonly MailboxStatusMachine machine = new(options);

    /// <summary>When an IDLE watch last announced new mail not yet synced (memory only: it feeds a metric).</summary>
    private DateTimeOffset? announcedAt;

    /// <summary>The trace of the connect or "sync now" that asked for the next pass: that pass joins it.</summary>
    private ActivityContext? trigger;

    public void MailAnnounced(DateTimeOffset now) => announcedAt ??= now;

    /// <summary>
    /// The next pass (in this activation or a later one) also reads the initial window again for new leads, then tells the
    /// company's backfill.
    /// </summary>
    public async Task BackfillWantedAsync(int round)
    {
        if (record.State.BackfillRound >= round) return;
        record.State.BackfillRound = round;
        await record.WriteAsync();
    }

    /// <summary>The next pass joins <paramref name="caller"/>'s trace (null: a trace of its own).</summary>
    public void TraceNextPass(ActivityContext? caller) => trigger = caller;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (record.State.Credentials is not { } stored) return;
        var caller = trigger;
        trigger = null;
        using var activity = MailSyncActivities.StartPass(caller, key.CompanyId, key.UserId);
        // Every log line of the pass (engine, pool, stores) carries who and which pass; the trace id comes with the activity.
        using var scope = logger.BeginScope(PassScope(activity));
        if (record.Lifecycle.NextAttemptAt is { } due) MailSyncMetrics.AttemptLag(clock.Now - due);
        var attempt = record.Lifecycle.ConsecutiveFailures + 1;
        if (await OpenAsync(stored, attempt) is not { } opened) return;
        var (credentials, current) = opened;
        // The jitter of the next poll is drawn now, so the session pool knows when this mailbox polls again.
        var pollSample = Random.Shared.NextDouble();
        var started = clock.Time.GetTimestamp();
        using var run = new PassRun(current, cancellationToken);
        var outcome = await PassAsync(run, credentials, pollSample);
        if (!record.IsCurrent(run))
        {
            // A connect or disconnect while the pass ran decided anew: the old credentials' outcome is dropped.
            logger.LogDebug("Outcome of a pass of {Mailbox} dropped: its credentials were replaced meanwhile", key);
            if (record.State.Credentials is null) connector.Forget(key); // the pass kept its session after the disconnect
            return;
        }
        MailSyncActivities.PassEnded(activity,
            outcome.Succeeded ? "ok" : outcome.Deferred ? outcome.Deferral.ToString() : outcome.Code.ToString(),
            failed: !outcome.Succeeded && !outcome.Deferred, outcome.MessagesSynced);
        var facts = new AttemptFacts(clock.Now, credentials, attempt, pollSample, Random.Shared.NextDouble());
        await RecordAsync(outcome, facts, clock.Time.GetElapsedTime(started));
        if (outcome.BackfillComplete && run.BackfillRound is { } round) await BackfillDoneAsync(round);
        // Announced while the pass ran (by the watch it began as it returned the session, so mail the pass did not see):
        // the success just scheduled the next poll an interval away, so bring it back to now.
        if (outcome.Succeeded && announcedAt is not null) record.Apply(machine.MailArrived(record.Lifecycle, clock.Now), clock.Now);
    }

    /// <summary>
    /// The credentials in plain and the stored credentials they came from; null when there is nothing to sync with: they
    /// were replaced meanwhile, or they no longer decrypt (recorded as a failure only new credentials can fix).
    /// </summary>
    private async Task<(MailboxCredentials Plain, StoredCredentials Stored)?> OpenAsync(StoredCredentials stored, int attempt)
    {
        try
        {
            var (plain, reseal) = seal.Open(stored);
            if (reseal) stored = await ResealAsync(stored, plain);
            // A connect or disconnect interleaved with the re-sealing write: the next wake-up takes the new credentials.
            if (!ReferenceEquals(stored, record.State.Credentials)) return null;
            return (new MailboxCredentials(stored.Provider, stored.Email, stored.Username, plain, stored.Imap), stored);
        }
        catch (CryptographicException)
        {
            // The key that sealed the secret is gone (rotated out), or the stored server or username was changed behind
            // the API: nothing is sent anywhere, only new credentials help, so say so.
            var none = new MailboxCredentials(stored.Provider, stored.Email, stored.Username, "", stored.Imap);
            var outcome = SyncOutcome.Failure(MailboxErrorCode.AuthenticationFailed,
                "The stored credentials can no longer be decrypted (their encryption key was removed, "
                + "or the stored server settings were changed). Reconnect the mailbox.");
            var sample = Random.Shared.NextDouble();
            await RecordAsync(outcome, new AttemptFacts(clock.Now, none, attempt, sample, sample), TimeSpan.Zero);
            return null;
        }
    }

    /// <summary>Seals the secret again with its current purpose and the active key, persisted before it is used.</summary>
    private async Task<StoredCredentials> ResealAsync(StoredCredentials stored, string plain)
    {
        var from = stored.Secret.KeyId;
        stored = seal.Reseal(stored, plain);
        record.State.Credentials = stored;
        await record.WriteAsync();
        logger.LogInformation("Secret of {Mailbox} re-sealed (key {From} to {To})", key, from, seal.ActiveKeyId);
        return stored;
    }

    private async Task<SyncOutcome> PassAsync(PassRun run, MailboxCredentials credentials, double pollSample)
    {
        record.Pass = run;
        var announced = announcedAt;
        announcedAt = null;
        if (announced is { } at) MailSyncMetrics.MailPushStarted(clock.Now - at);
        SyncOutcome outcome;
        try
        {
            run.BackfillRound = record.State.BackfillRound;
            var syncing = connector.SyncAsync(Request(run, credentials, pollSample, pushed: announced is not null), run.Token);
            run.Syncing = syncing;
            outcome = await syncing;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The connector classifies everything the mail server does; what escapes it is ours to retry.
            if (record.IsCurrent(run)) logger.LogWarning(e, "Sync attempt of {Mailbox} failed on our side; deferred", key);
            outcome = SyncOutcome.PlatformFault(e.GetType().Name);
        }
        finally
        {
            if (record.Pass == run) record.Pass = null;
        }
        if (announced is { } announcement)
        {
            if (outcome.Succeeded) MailSyncMetrics.MailPushed(clock.Now - announcement);
            else announcedAt ??= announcement; // the retry syncs the announced mail
        }
        return outcome;
    }

    /// <summary>
    /// Tells the company's backfill that this mailbox read its window again for <paramref name="round"/> (a later round
    /// asked meanwhile stays owed). A failed call is not retried: the round passes this mailbox over after a while; a
    /// failed write leaves the round owed, and the next pass reads the window again (the entries it writes are the same).
    /// </summary>
    private async Task BackfillDoneAsync(int round)
    {
        try
        {
            if (record.State.BackfillRound == round)
            {
                record.State.BackfillRound = null;
                try
                {
                    await record.WriteAsync();
                }
                catch
                {
                    record.State.BackfillRound ??= round;
                    throw;
                }
            }
            await grains.GetGrain<Interfaces.Leads.ILeadBackfillGrain>(key.CompanyId).MailboxDone(key.UserId, round);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "Backfill round {Round} of {Mailbox} done, but the company's backfill was not told", round, key);
        }
    }

    private SyncRequest Request(PassRun run, MailboxCredentials credentials, double pollSample, bool pushed) =>
        new(key, credentials, record.State.Cursors.ToDictionary(), changes => CommitCursorsAsync(run, changes))
        {
            NextPollIn = RetryBackoff.Jitter(options.PollInterval, options.PollJitter, pollSample),
            // The silo's IDLE watch runs outside this activation: it tells the grain through a message.
            MailArrived = self.AsReference<IMailboxGrain>().MailArrived,
            Pushed = pushed,
            Backfill = run.BackfillRound is not null,
            SecretRotated = secret => SecretRotatedAsync(run, credentials, secret),
            EntriesAdded = added => record.IsCurrent(run) ? record.MessagesAddedAsync(added) : Task.CompletedTask,
        };

    /// <summary>
    /// The provider replaced the refresh token (Sign in with Microsoft): sealed and stored at once, before the pass uses the
    /// access token that came with it. Credentials replaced meanwhile (a connect, a disconnect) keep nothing of it.
    /// </summary>
    private async Task SecretRotatedAsync(PassRun run, MailboxCredentials credentials, string secret)
    {
        if (!record.IsCurrent(run)) return;
        var stored = seal.Seal(credentials with { Secret = secret });
        record.State.Credentials = stored;
        run.Credentials = stored;
        await record.WriteAsync();
        logger.LogInformation("Refresh token of {Mailbox} rotated and stored", key);
    }

    /// <summary>Called by the sync engine after a batch's timeline entries are written: cursors to save (null: forget).</summary>
    private async Task CommitCursorsAsync(PassRun run, IReadOnlyDictionary<string, FolderCursor?> changes)
    {
        if (!record.IsCurrent(run))
        {
            // The credentials changed under the pass (their cursors were cleared): stop it, keep nothing of it.
            await run.CancelAsync();
            throw new OperationCanceledException(run.Token);
        }
        record.ApplyCursors(changes);
        try
        {
            await record.WriteAsync();
        }
        catch (Exception e)
        {
            throw new PlatformFaultException("Saving the sync position", e);
        }
    }

    /// <summary>Applies what <see cref="OutcomePolicy"/> decided, counts it, and persists what must not be lost.</summary>
    private async Task RecordAsync(SyncOutcome outcome, AttemptFacts facts, TimeSpan duration)
    {
        var before = record.Significant();
        var decision = policy.Decide(record.Lifecycle, record.State.BusySince, outcome, facts);
        if (decision.Counted) MailSyncMetrics.Attempt(outcome.Succeeded, outcome.Code, outcome.MessagesSynced, duration);
        else MailSyncMetrics.Deferral(outcome.Deferral.ToString());
        record.State.BusySince = decision.BusySince;
        foreach (var entry in decision.Entries) record.Log(entry.Entry, entry.Warning);
        record.Apply(decision.Lifecycle, facts.Now);
        record.State.MessagesSynced += decision.MessagesSynced;
        // A good pass's last cursors come with its outcome: stored in this write (a stale pass's never get here).
        var cursorsMoved = outcome.Succeeded && record.ApplyCursors(outcome.Cursors);
        if (!outcome.Succeeded && decision.Counted)
        {
            logger.LogInformation("Sync attempt {Attempt} of {Mailbox} failed with {Code}; now {Status}",
                facts.Attempt, key, outcome.Code, record.Lifecycle.Status);
        }
        await record.PersistIfChangedAsync(before, facts.Now, cursorsMoved);
        if (decision.Counted) await alarms.SyncReminderAsync();
    }

    private Dictionary<string, object> PassScope(Activity? activity) => new()
    {
        ["CompanyId"] = key.CompanyId,
        ["UserId"] = key.UserId,
        ["PassId"] = activity?.SpanId.ToHexString() ?? ActivitySpanId.CreateRandom().ToHexString(),
    };
}
