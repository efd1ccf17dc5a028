using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Shared.Configuration;

namespace MailSync.Grains.Mailboxes;

/// <summary>What one sync attempt left behind, before any of it is applied: the attempt's facts.</summary>
/// <param name="Now">When the outcome is recorded.</param>
/// <param name="Credentials">The credentials the attempt used (the secret is only used to keep it out of details).</param>
/// <param name="Attempt">The attempt's number in the failure streak (1 after a success).</param>
/// <param name="PollSample">The uniform sample drawn before the pass for the jitter of the next poll.</param>
/// <param name="RetrySample">A uniform sample for the jitter of a retry or a deferral.</param>
public sealed record AttemptFacts(DateTimeOffset Now, MailboxCredentials Credentials, int Attempt, double PollSample, double RetrySample);

/// <summary>An entry for the mailbox's error log; a warning is said at most once a day.</summary>
public sealed record LogEntry(MailboxError Entry, bool Warning);

/// <summary>What recording an attempt's outcome changes: the lifecycle, the error log, the counters.</summary>
/// <param name="Lifecycle">The next lifecycle (status, streak, next attempt).</param>
/// <param name="Entries">Error-log entries and warnings to add, in order.</param>
/// <param name="MessagesSynced">Messages to add to the mailbox's count.</param>
/// <param name="BusySince">Since when attempts have found no free connection (null once one ran).</param>
/// <param name="Counted">Whether the attempt ran (false: deferred, counted only as a deferral).</param>
public sealed record OutcomeDecision(
    MailboxLifecycle Lifecycle, IReadOnlyList<LogEntry> Entries, long MessagesSynced, DateTimeOffset? BusySince, bool Counted);

/// <summary>
/// How a sync attempt's outcome changes a mailbox, as a pure rule: success, failure (the status machine's back-off and the
/// 48 h rule), or deferral (no free connection, or our own platform failed), which is never the user's error, though a
/// wait for a connection longer than a poll interval is said once as a warning.
/// </summary>
public sealed class OutcomePolicy(MailSyncOptions options)
{
    private readonly MailboxStatusMachine machine = new(options);

    public OutcomeDecision Decide(MailboxLifecycle current, DateTimeOffset? busySince, SyncOutcome outcome, AttemptFacts facts)
    {
        if (outcome.Deferred) return Defer(current, busySince, outcome, facts);
        List<LogEntry> entries = [.. outcome.Warnings.Select(w => new LogEntry(Entry(w.Code, w.Detail, facts), Warning: true))];
        if (outcome.Succeeded)
        {
            var next = machine.Succeeded(current, facts.Now, facts.PollSample, outcome.MoreToSync);
            return new OutcomeDecision(next, entries, outcome.MessagesSynced, null, Counted: true);
        }
        entries.Add(new LogEntry(Entry(outcome.Code, outcome.Detail, facts), Warning: false));
        return new OutcomeDecision(machine.Failed(current, facts.Now, facts.RetrySample, outcome.Code), entries, 0, null, Counted: true);
    }

    /// <summary>
    /// An error-log entry: the catalog's plain words and fix for the provider, and the server's own words without the secret.
    /// </summary>
    public static MailboxError Entry(MailboxErrorCode code, string? detail, AttemptFacts facts)
    {
        var (message, fix) = ErrorCatalog.Describe(code, facts.Credentials.Provider);
        return new MailboxError(facts.Now, code, message, fix, DetailSanitizer.Clean(detail, facts.Credentials.Secret), facts.Attempt);
    }

    private OutcomeDecision Defer(MailboxLifecycle current, DateTimeOffset? busySince, SyncOutcome outcome, AttemptFacts facts)
    {
        List<LogEntry> entries = [];
        if (outcome.Deferral == SyncDeferral.Busy)
        {
            busySince ??= facts.Now;
            if (facts.Now - busySince > options.PollInterval)
            {
                const string Detail = "Every IMAP connection this service may open for this mailbox was busy "
                    + "for longer than the poll interval.";
                entries.Add(new LogEntry(Entry(MailboxErrorCode.SyncDelayed, Detail, facts), Warning: true));
            }
        }
        if (outcome.Deferral == SyncDeferral.Throttled)
            entries.Add(new LogEntry(Entry(MailboxErrorCode.ServerThrottled, outcome.Detail, facts), Warning: true));
        return new OutcomeDecision(
            machine.Deferred(current, facts.Now, facts.RetrySample, outcome.RetryAfter), entries, 0, busySince, Counted: false);
    }
}
