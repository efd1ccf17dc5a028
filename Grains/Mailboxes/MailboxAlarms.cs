using MailSync.Shared.Time;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// When a mailbox activation wakes up: one one-shot grain timer, re-armed after every change (due at the next attempt or
/// owed cleanup step, or stopped), and the durable reminder that brings the mailbox back after deactivation or silo loss
/// for as long as <see cref="MailboxSchedule.WantsReminder"/> says. One per activation.
/// </summary>
internal sealed class MailboxAlarms(
    IGrainBase grain, MailboxRecord record, KeeperLink keeper, MailboxSchedule schedule, MailSyncClock clock,
    Func<CancellationToken, Task> wake)
{
    private const string ReminderName = "mailbox-sync";

    private IGrainTimer? timer;
    private IGrainReminder? reminder;
    private bool reminderLoaded;

    public static bool IsOurs(string reminderName) => reminderName == ReminderName;

    /// <summary>
    /// Arms the timer for the next due work (not sooner than <paramref name="atLeast"/>); a mailbox with a timer has work
    /// coming, so its schedule keeper keeps it active. The timer interleaves with grain calls: a pass waiting for a socket
    /// or a login never holds up a status read, a reminder or a connect.
    /// </summary>
    public void ArmTimer(TimeSpan? atLeast = null)
    {
        var now = clock.Now;
        var s = record.State;
        var next = MailboxSchedule.TimerDue(s.Lifecycle, now, DisconnectCleanup.DueAt(s.HistoryDeletion, s.Revocations, now));
        keeper.Report(polls: next is not null);
        if (next is not { } due)
        {
            timer?.Dispose();
            timer = null;
            return;
        }
        if (atLeast is { } minimum && due < minimum) due = minimum;
        if (timer is null)
            timer = grain.RegisterGrainTimer(
                wake, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true, Interleave = true });
        else
            timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Registers or removes the durable reminder to match <see cref="MailboxSchedule.WantsReminder"/>.</summary>
    public async Task SyncReminderAsync()
    {
        if (!reminderLoaded)
        {
            reminder = await grain.GetReminder(ReminderName);
            reminderLoaded = true;
        }
        var s = record.State;
        var wanted = MailboxSchedule.WantsReminder(s.Lifecycle, s.SeatReleasePending, s.CleanupOwed);
        if (wanted && reminder is null)
        {
            reminder = await grain.RegisterOrUpdateReminder(
                ReminderName, schedule.FirstReminderDue(Random.Shared.NextDouble()), schedule.ReminderPeriod);
        }
        else if (!wanted && reminder is not null)
        {
            await grain.UnregisterReminder(reminder);
            reminder = null;
        }
    }
}
