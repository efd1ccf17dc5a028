using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// docs/design.md §2 as pure functions: every transition of a mailbox's status, the back-off schedule and the rule that
/// a failure streak as old as <see cref="MailSyncOptions.ConnectionIssueAfter"/> ends in ConnectionIssue.
/// Jitter comes in as a sample in [0, 1) so callers and tests choose the randomness.
/// </summary>
public sealed class MailboxStatusMachine(MailSyncOptions options)
{
    private readonly RetryBackoff backoff = new(options.Retry);

    /// <summary>Credentials given, no free seat: wait in the company's queue (the earliest wait time is kept).</summary>
    public MailboxLifecycle Queue(MailboxLifecycle current, DateTimeOffset now)
    {
        Require(current, MailboxStatus.NotConfigured, MailboxStatus.Pending);
        return MailboxLifecycle.NotConfigured with { Status = MailboxStatus.Pending, PendingSince = current.PendingSince ?? now };
    }

    /// <summary>A seat was granted: billed and syncing from now on, the first attempt right away.</summary>
    public MailboxLifecycle Admit(MailboxLifecycle current, DateTimeOffset now)
    {
        Require(current, MailboxStatus.NotConfigured, MailboxStatus.Pending);
        return new MailboxLifecycle(MailboxStatus.Enabled, NextAttemptAt: now);
    }

    /// <summary>New credentials for a mailbox that holds a seat: a new situation, so the failure streak restarts.</summary>
    public MailboxLifecycle Reconnect(MailboxLifecycle current, DateTimeOffset now)
    {
        Require(current, MailboxStatus.Enabled, MailboxStatus.Error, MailboxStatus.ConnectionIssue);
        return current with { FailingSince = null, ConsecutiveFailures = 0, NextAttemptAt = now };
    }

    /// <summary>
    /// "Sync now" or a retry out of ConnectionIssue: one attempt now. The streak is kept, so a failed retry out of
    /// ConnectionIssue stays there instead of billing another two days of failures.
    /// </summary>
    public MailboxLifecycle RetryNow(MailboxLifecycle current, DateTimeOffset now) =>
        current.Status.HoldsSeat() ? current with { NextAttemptAt = now } : current;

    /// <summary>
    /// The server announced new mail (IMAP IDLE): an Enabled mailbox polls now. A failing one keeps its back-off: the
    /// announcement says nothing about whether the failure passed.
    /// </summary>
    public MailboxLifecycle MailArrived(MailboxLifecycle current, DateTimeOffset now) =>
        current is { Status: MailboxStatus.Enabled, NextAttemptAt: { } next } && next > now
            ? current with { NextAttemptAt = now }
            : current;

    /// <param name="moreToSync">The pass stopped at its time budget: the next one starts right away.</param>
    public MailboxLifecycle Succeeded(MailboxLifecycle current, DateTimeOffset now, double jitterSample, bool moreToSync = false)
    {
        Require(current, MailboxStatus.Enabled, MailboxStatus.Error, MailboxStatus.ConnectionIssue);
        var delay = moreToSync ? TimeSpan.Zero : RetryBackoff.Jitter(options.PollInterval, options.PollJitter, jitterSample);
        return new MailboxLifecycle(MailboxStatus.Enabled, NextAttemptAt: now + delay, LastSyncAt: now);
    }

    /// <summary>Deferred attempts go again after about this long (or a poll interval, if shorter).</summary>
    public static readonly TimeSpan DeferredRetry = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Nothing was tried (no free socket, our platform failed, or the server throttles): same status, same streak, another
    /// go in about <see cref="DeferredRetry"/>, and never before <paramref name="atLeast"/> (the wait a server asked for).
    /// </summary>
    public MailboxLifecycle Deferred(MailboxLifecycle current, DateTimeOffset now, double jitterSample, TimeSpan? atLeast = null)
    {
        var delay = RetryBackoff.Jitter(Min(DeferredRetry, options.PollInterval), 0.5, jitterSample);
        return current with { NextAttemptAt = now + (atLeast is { } wait && wait > delay ? wait : delay) };
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// Failures only the user can fix (their credentials, their account's settings): retrying them sooner than
    /// <see cref="RetryOptions.Max"/> achieves nothing but failed logins, which shared hosts answer by banning the silo's
    /// address for every tenant on it.
    /// </summary>
    public static bool NeedsTheUser(MailboxErrorCode code) => code is MailboxErrorCode.AuthenticationFailed
        or MailboxErrorCode.AppPasswordRequired or MailboxErrorCode.WebLoginRequired or MailboxErrorCode.OAuthTokenRevoked
        or MailboxErrorCode.OAuthScopeMissing or MailboxErrorCode.ImapDisabled or MailboxErrorCode.OAuthAccessRefused
        or MailboxErrorCode.OAuthAdminConsentRequired;

    /// <summary>
    /// A failed attempt: Error with the doubling back-off, or at once the longest back-off when the failure
    /// <see cref="NeedsTheUser"/>; ConnectionIssue once the streak is as old as <see cref="MailSyncOptions.ConnectionIssueAfter"/>.
    /// </summary>
    public MailboxLifecycle Failed(MailboxLifecycle current, DateTimeOffset now, double jitterSample, MailboxErrorCode code)
    {
        Require(current, MailboxStatus.Enabled, MailboxStatus.Error, MailboxStatus.ConnectionIssue);
        var failingSince = current.FailingSince ?? now;
        var failures = current.ConsecutiveFailures + 1;
        if (now - failingSince >= options.ConnectionIssueAfter)
        {
            return current with
            {
                Status = MailboxStatus.ConnectionIssue, FailingSince = failingSince, ConsecutiveFailures = failures, NextAttemptAt = null,
            };
        }
        return current with
        {
            Status = MailboxStatus.Error,
            FailingSince = failingSince,
            ConsecutiveFailures = failures,
            NextAttemptAt = now + (NeedsTheUser(code) ? backoff.Longest(jitterSample) : backoff.Delay(failures, jitterSample)),
        };
    }

    /// <summary>From any status: no credentials, no seat, nothing scheduled.</summary>
    public MailboxLifecycle Disconnect(MailboxLifecycle current) => MailboxLifecycle.NotConfigured;

    private static void Require(MailboxLifecycle current, params MailboxStatus[] allowed)
    {
        if (!allowed.Contains(current.Status))
            throw new InvalidOperationException($"A mailbox in status {current.Status} cannot take this transition.");
    }
}
