using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Mailboxes;
using MailSync.Shared.Configuration;

namespace MailSync.UnitTests.Mailboxes;

public sealed class MailboxScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(MailboxStatus.Enabled, 90, 90)]
    [InlineData(MailboxStatus.Error, -30, 0)] // overdue: right away
    [InlineData(MailboxStatus.ConnectionIssue, 5, 5)] // a retry out of ConnectionIssue
    [InlineData(MailboxStatus.Enabled, 3 * 3600, 3600)] // far off: re-armed at least hourly
    public void The_timer_fires_at_the_next_attempt(MailboxStatus status, int inSeconds, int expectedSeconds)
    {
        var lifecycle = new MailboxLifecycle(status, NextAttemptAt: Now.AddSeconds(inSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), MailboxSchedule.TimerDue(lifecycle, Now));
    }

    [Theory]
    [InlineData(MailboxStatus.Pending)]
    [InlineData(MailboxStatus.NotConfigured)]
    public void Without_a_seat_there_is_no_timer_even_with_an_attempt_on_record(MailboxStatus status)
    {
        Assert.Null(MailboxSchedule.TimerDue(new MailboxLifecycle(status, NextAttemptAt: Now), Now));
    }

    [Fact]
    public void A_ConnectionIssue_nobody_retries_has_no_timer()
    {
        Assert.Null(MailboxSchedule.TimerDue(new MailboxLifecycle(MailboxStatus.ConnectionIssue), Now));
    }

    [Theory]
    [InlineData(MailboxStatus.Pending, false, true)]
    [InlineData(MailboxStatus.Enabled, true, true)]
    [InlineData(MailboxStatus.Error, true, true)]
    [InlineData(MailboxStatus.ConnectionIssue, true, true)] // retried: it must come back after a silo loss
    [InlineData(MailboxStatus.ConnectionIssue, false, false)]
    [InlineData(MailboxStatus.NotConfigured, false, false)]
    public void The_reminder_lives_while_there_is_something_to_do(MailboxStatus status, bool attemptScheduled, bool wanted)
    {
        var lifecycle = new MailboxLifecycle(status, NextAttemptAt: attemptScheduled ? Now : null);

        Assert.Equal(wanted, MailboxSchedule.WantsReminder(lifecycle, seatReleasePending: false));
    }

    [Fact]
    public void A_seat_release_still_owed_keeps_the_reminder_after_a_disconnect()
    {
        Assert.True(MailboxSchedule.WantsReminder(MailboxLifecycle.NotConfigured, seatReleasePending: true));
    }

    [Fact]
    public void First_reminder_ticks_spread_over_half_to_one_and_a_half_periods()
    {
        var schedule = new MailboxSchedule(new MailSyncOptions { ReminderPeriod = TimeSpan.FromMinutes(4) });

        Assert.Equal(TimeSpan.FromMinutes(2), schedule.FirstReminderDue(0));
        Assert.Equal(TimeSpan.FromMinutes(4), schedule.FirstReminderDue(0.5));
        Assert.Equal(TimeSpan.FromMinutes(6), schedule.FirstReminderDue(1));
    }
}
