using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// When a mailbox grain wakes up, as a pure rule: the one-shot timer that runs attempts while the grain is active, and
/// the durable reminder that brings it back after deactivation or silo loss for as long as there is anything to do.
/// </summary>
public sealed class MailboxSchedule(MailSyncOptions options)
{
    /// <summary>Timers re-arm at least this often, so a far-off attempt never overflows the timer.</summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromHours(1);

    /// <summary>
    /// How long until the timer should fire: at the next attempt (with a seat) or at <paramref name="cleanupDue"/> (work a
    /// disconnect left owed), whichever is first; null when neither is scheduled.
    /// </summary>
    public static TimeSpan? TimerDue(MailboxLifecycle lifecycle, DateTimeOffset now, DateTimeOffset? cleanupDue = null)
    {
        var attemptAt = lifecycle.Status.HoldsSeat() ? lifecycle.NextAttemptAt : null;
        DateTimeOffset? next = (attemptAt, cleanupDue) switch
        {
            ({ } attempt, { } cleanup) => attempt < cleanup ? attempt : cleanup,
            _ => attemptAt ?? cleanupDue,
        };
        if (next is not { } at) return null;
        var due = at - now;
        return due < TimeSpan.Zero ? TimeSpan.Zero : due > MaxTimerDelay ? MaxTimerDelay : due;
    }

    /// <summary>
    /// The reminder lives while an attempt is scheduled or the mailbox waits for a seat, and while a seat release is
    /// still owed to the company or a disconnect's cleanup (history, revocation) is; NotConfigured and a ConnectionIssue
    /// nobody retries need no wake-ups.
    /// </summary>
    public static bool WantsReminder(MailboxLifecycle lifecycle, bool seatReleasePending, bool cleanupOwed = false) =>
        seatReleasePending || cleanupOwed || lifecycle.Status == MailboxStatus.Pending ||
        (lifecycle.Status.HoldsSeat() && lifecycle.NextAttemptAt is not null);

    public TimeSpan ReminderPeriod => options.ReminderPeriod;

    /// <summary>A jittered first tick (± half a period) spreads the reminders of many mailboxes over the period.</summary>
    public TimeSpan FirstReminderDue(double sample) => RetryBackoff.Jitter(options.ReminderPeriod, 0.5, sample);
}
