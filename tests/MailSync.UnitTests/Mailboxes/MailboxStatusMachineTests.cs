using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Mailboxes;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.UnitTests.Mailboxes;

public sealed class MailboxStatusMachineTests
{
    private const double NoJitter = 0.5;

    /// <summary>A failure that may go away by itself: the doubling back-off.</summary>
    private const MailboxErrorCode Refused = MailboxErrorCode.ConnectionRefused;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MailboxStatusMachine machine = new(new MailSyncOptions());

    private DateTimeOffset Now => time.GetUtcNow();

    [Fact]
    public void Connect_without_a_seat_waits_as_Pending_and_keeps_its_first_wait_time()
    {
        var pending = machine.Queue(MailboxLifecycle.NotConfigured, Now);
        time.Advance(TimeSpan.FromHours(1));
        var stillPending = machine.Queue(pending, Now);

        Assert.Equal(MailboxStatus.Pending, stillPending.Status);
        Assert.Equal(Now - TimeSpan.FromHours(1), stillPending.PendingSince);
        Assert.Null(stillPending.NextAttemptAt);
    }

    [Theory]
    [InlineData(MailboxStatus.NotConfigured)]
    [InlineData(MailboxStatus.Pending)]
    public void A_granted_seat_enables_the_mailbox_with_an_attempt_right_away(MailboxStatus from)
    {
        var admitted = machine.Admit(new MailboxLifecycle(from, PendingSince: Now), Now);

        Assert.Equal(MailboxStatus.Enabled, admitted.Status);
        Assert.Equal(Now, admitted.NextAttemptAt);
        Assert.Null(admitted.PendingSince);
    }

    [Fact]
    public void A_failure_turns_Enabled_into_Error_and_starts_the_streak_then_success_ends_it()
    {
        var enabled = machine.Admit(MailboxLifecycle.NotConfigured, Now);

        var failed = machine.Failed(enabled, Now, NoJitter, Refused);
        time.Advance(TimeSpan.FromMinutes(1));
        var recovered = machine.Succeeded(failed, Now, NoJitter);

        Assert.Equal(MailboxStatus.Error, failed.Status);
        Assert.Equal(Now - TimeSpan.FromMinutes(1), failed.FailingSince);
        Assert.Equal(1, failed.ConsecutiveFailures);
        Assert.Equal(MailboxStatus.Enabled, recovered.Status);
        Assert.Null(recovered.FailingSince);
        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.Equal(Now, recovered.LastSyncAt);
        Assert.Equal(Now + TimeSpan.FromMinutes(5), recovered.NextAttemptAt);
    }

    [Fact]
    public void A_pass_that_stopped_at_its_time_budget_continues_at_once_and_a_deferred_one_soon_without_a_status_change()
    {
        var error = new MailboxLifecycle(MailboxStatus.Error, FailingSince: Now, ConsecutiveFailures: 2, NextAttemptAt: Now);

        var continued = machine.Succeeded(error, Now, NoJitter, moreToSync: true);
        var deferred = machine.Deferred(error, Now, NoJitter);

        Assert.Equal((MailboxStatus.Enabled, Now), (continued.Status, continued.NextAttemptAt!.Value));
        Assert.Equal(error with { NextAttemptAt = Now + TimeSpan.FromSeconds(30) }, deferred);
    }

    [Fact]
    public void Back_off_is_1_min_doubling_to_a_cap_of_1_h()
    {
        var backoff = new RetryBackoff(new RetryOptions());

        var delays = Enumerable.Range(1, 9).Select(n => backoff.Delay(n, NoJitter).TotalMinutes).ToArray();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays);
    }

    [Theory]
    [InlineData(0.0, 48)]
    [InlineData(0.999999, 72)]
    public void Back_off_jitter_stays_within_20_percent(double sample, double expectedSeconds)
    {
        var delay = new RetryBackoff(new RetryOptions()).Delay(1, sample);

        Assert.Equal(expectedSeconds, delay.TotalSeconds, precision: 2);
    }

    [Fact]
    public void Back_off_settings_are_configurable()
    {
        var backoff = new RetryBackoff(new RetryOptions { Initial = TimeSpan.FromSeconds(10), Max = TimeSpan.FromSeconds(30), Jitter = 0 });

        Assert.Equal([10, 20, 30, 30], Enumerable.Range(1, 4).Select(n => backoff.Delay(n, 0.9).TotalSeconds));
    }

    /// <summary>The failures only the user can fix; retrying them early only piles up failed logins.</summary>
    private static readonly MailboxErrorCode[] NeedTheUser =
    [
        MailboxErrorCode.AuthenticationFailed, MailboxErrorCode.AppPasswordRequired, MailboxErrorCode.WebLoginRequired,
        MailboxErrorCode.OAuthTokenRevoked, MailboxErrorCode.OAuthScopeMissing, MailboxErrorCode.ImapDisabled,
        MailboxErrorCode.OAuthAccessRefused, MailboxErrorCode.OAuthAdminConsentRequired,
    ];

    public static TheoryData<MailboxErrorCode> CredentialFailures() => new(NeedTheUser);

    public static TheoryData<MailboxErrorCode> OtherFailures() => new(Enum.GetValues<MailboxErrorCode>().Except(NeedTheUser));

    [Theory]
    [MemberData(nameof(CredentialFailures))]
    public void A_credentials_failure_waits_the_longest_back_off_at_once(MailboxErrorCode code)
    {
        var enabled = machine.Admit(MailboxLifecycle.NotConfigured, Now);

        var first = machine.Failed(enabled, Now, NoJitter, code);
        var earliest = machine.Failed(enabled, Now, 0.0, code);
        var latest = machine.Failed(enabled, Now, 0.999999, code);

        Assert.True(MailboxStatusMachine.NeedsTheUser(code));
        Assert.Equal((MailboxStatus.Error, 1), (first.Status, first.ConsecutiveFailures));
        Assert.Equal(Now + TimeSpan.FromHours(1), first.NextAttemptAt);
        // ± Retry:Jitter (20 %) around Retry:Max, like every other delay
        Assert.Equal(48, (earliest.NextAttemptAt!.Value - Now).TotalMinutes, precision: 2);
        Assert.Equal(72, (latest.NextAttemptAt!.Value - Now).TotalMinutes, precision: 2);
    }

    [Theory]
    [MemberData(nameof(OtherFailures))]
    public void Other_failures_keep_the_doubling_back_off(MailboxErrorCode code)
    {
        var lifecycle = machine.Admit(MailboxLifecycle.NotConfigured, Now);
        var delays = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            lifecycle = machine.Failed(lifecycle, Now, NoJitter, code);
            delays.Add((lifecycle.NextAttemptAt!.Value - Now).TotalMinutes);
        }

        Assert.False(MailboxStatusMachine.NeedsTheUser(code));
        Assert.Equal([1, 2, 4], delays);
    }

    [Fact]
    public void The_longest_back_off_follows_the_configured_maximum_and_jitter()
    {
        var configured = new MailboxStatusMachine(new MailSyncOptions
        {
            Retry = new RetryOptions { Initial = TimeSpan.FromSeconds(10), Max = TimeSpan.FromMinutes(30), Jitter = 0 },
        });

        var failed = configured.Failed(configured.Admit(MailboxLifecycle.NotConfigured, Now), Now, 0.9, MailboxErrorCode.AuthenticationFailed);

        Assert.Equal(Now + TimeSpan.FromMinutes(30), failed.NextAttemptAt);
    }

    [Fact]
    public void A_wrong_password_is_tried_at_0_and_60_minutes_where_a_refused_connection_is_tried_six_times()
    {
        int AttemptsInTheFirstHour(MailboxErrorCode code)
        {
            var start = Now;
            var lifecycle = machine.Failed(machine.Admit(MailboxLifecycle.NotConfigured, start), start, NoJitter, code);
            var attempts = 1;
            while (lifecycle.NextAttemptAt is { } next && next - start <= TimeSpan.FromHours(1))
            {
                lifecycle = machine.Failed(lifecycle, next, NoJitter, code);
                attempts++;
            }
            return attempts;
        }

        Assert.Equal(2, AttemptsInTheFirstHour(MailboxErrorCode.AuthenticationFailed)); // at 0 and 60 min
        Assert.Equal(6, AttemptsInTheFirstHour(Refused)); // at 0, 1, 3, 7, 15 and 31 min
    }

    [Fact]
    public void A_wrong_password_for_48_hours_still_ends_in_ConnectionIssue()
    {
        var lifecycle = machine.Failed(machine.Admit(MailboxLifecycle.NotConfigured, Now), Now, NoJitter, MailboxErrorCode.AuthenticationFailed);
        var streakStart = Now;
        while (lifecycle.Status == MailboxStatus.Error)
        {
            time.SetUtcNow(lifecycle.NextAttemptAt!.Value);
            lifecycle = machine.Failed(lifecycle, Now, NoJitter, MailboxErrorCode.AuthenticationFailed);
        }

        Assert.Equal(MailboxStatus.ConnectionIssue, lifecycle.Status);
        Assert.Equal(TimeSpan.FromHours(48), Now - streakStart);
        Assert.Equal(49, lifecycle.ConsecutiveFailures); // one an hour, not 54 on the doubling schedule
    }

    [Fact]
    public void Failures_for_48_hours_end_in_ConnectionIssue_with_nothing_scheduled()
    {
        var lifecycle = machine.Failed(machine.Admit(MailboxLifecycle.NotConfigured, Now), Now, NoJitter, Refused);
        var streakStart = Now;
        while (lifecycle.Status == MailboxStatus.Error)
        {
            time.SetUtcNow(lifecycle.NextAttemptAt!.Value);
            lifecycle = machine.Failed(lifecycle, Now, NoJitter, Refused);
        }

        Assert.Equal(MailboxStatus.ConnectionIssue, lifecycle.Status);
        Assert.Null(lifecycle.NextAttemptAt);
        Assert.InRange(Now - streakStart, TimeSpan.FromHours(48), TimeSpan.FromHours(49));
        Assert.Equal(streakStart, lifecycle.FailingSince);
    }

    [Fact]
    public void A_failure_just_before_48_hours_is_still_Error()
    {
        var lifecycle = machine.Failed(machine.Admit(MailboxLifecycle.NotConfigured, Now), Now, NoJitter, Refused);
        time.Advance(TimeSpan.FromHours(48) - TimeSpan.FromSeconds(1));

        Assert.Equal(MailboxStatus.Error, machine.Failed(lifecycle, Now, NoJitter, Refused).Status);
        Assert.Equal(MailboxStatus.ConnectionIssue, machine.Failed(lifecycle, Now + TimeSpan.FromSeconds(1), NoJitter, Refused).Status);
    }

    [Fact]
    public void The_48_hour_threshold_is_configurable()
    {
        var quick = new MailboxStatusMachine(new MailSyncOptions { ConnectionIssueAfter = TimeSpan.FromMinutes(10) });
        var lifecycle = quick.Failed(quick.Admit(MailboxLifecycle.NotConfigured, Now), Now, NoJitter, Refused);

        Assert.Equal(MailboxStatus.ConnectionIssue, quick.Failed(lifecycle, Now + TimeSpan.FromMinutes(10), NoJitter, Refused).Status);
    }

    [Fact]
    public void Reconnect_out_of_ConnectionIssue_attempts_now_with_a_fresh_streak()
    {
        var issue = new MailboxLifecycle(MailboxStatus.ConnectionIssue, FailingSince: Now - TimeSpan.FromDays(3), ConsecutiveFailures: 60);

        var reconnected = machine.Reconnect(issue, Now);
        var failedAgain = machine.Failed(reconnected, Now, NoJitter, Refused);

        Assert.Equal(Now, reconnected.NextAttemptAt);
        Assert.Equal(MailboxStatus.Error, failedAgain.Status);
        Assert.Equal(Now, failedAgain.FailingSince);
        Assert.Equal(MailboxStatus.Enabled, machine.Succeeded(reconnected, Now, NoJitter).Status);
    }

    [Fact]
    public void Retry_out_of_ConnectionIssue_is_one_attempt_that_stays_there_if_it_fails()
    {
        var issue = new MailboxLifecycle(MailboxStatus.ConnectionIssue, FailingSince: Now - TimeSpan.FromDays(3), ConsecutiveFailures: 60);

        var retrying = machine.RetryNow(issue, Now);
        var failed = machine.Failed(retrying, Now, NoJitter, Refused);

        Assert.Equal(Now, retrying.NextAttemptAt);
        Assert.Equal(MailboxStatus.ConnectionIssue, failed.Status);
        Assert.Null(failed.NextAttemptAt);
        Assert.Equal(MailboxStatus.Enabled, machine.Succeeded(retrying, Now, NoJitter).Status);
    }

    [Fact]
    public void New_mail_announced_by_the_server_brings_an_Enabled_mailboxs_next_poll_forward_to_now()
    {
        var enabled = machine.Succeeded(new MailboxLifecycle(MailboxStatus.Enabled, NextAttemptAt: Now), Now, NoJitter);

        Assert.Equal(Now + TimeSpan.FromSeconds(1), machine.MailArrived(enabled, Now + TimeSpan.FromSeconds(1)).NextAttemptAt);
    }

    [Fact]
    public void New_mail_announced_by_the_server_does_not_cut_a_failing_mailboxs_back_off()
    {
        var failing = machine.Failed(new MailboxLifecycle(MailboxStatus.Enabled, NextAttemptAt: Now), Now, NoJitter, Refused);

        Assert.Same(failing, machine.MailArrived(failing, Now + TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(MailboxStatus.NotConfigured)]
    [InlineData(MailboxStatus.Pending)]
    public void Sync_now_does_nothing_without_a_seat(MailboxStatus status)
    {
        var lifecycle = new MailboxLifecycle(status);

        Assert.Same(lifecycle, machine.RetryNow(lifecycle, Now));
    }

    [Theory]
    [InlineData(MailboxStatus.Pending)]
    [InlineData(MailboxStatus.Enabled)]
    [InlineData(MailboxStatus.Error)]
    [InlineData(MailboxStatus.ConnectionIssue)]
    public void Disconnect_from_any_status_is_NotConfigured_with_nothing_scheduled(MailboxStatus status)
    {
        var disconnected = machine.Disconnect(new MailboxLifecycle(status, NextAttemptAt: Now, FailingSince: Now));

        Assert.Equal(MailboxLifecycle.NotConfigured, disconnected);
    }

    [Theory]
    [InlineData(MailboxStatus.NotConfigured)]
    [InlineData(MailboxStatus.Pending)]
    public void Attempt_outcomes_are_refused_without_a_seat(MailboxStatus status)
    {
        Assert.Throws<InvalidOperationException>(() => machine.Failed(new MailboxLifecycle(status), Now, NoJitter, Refused));
        Assert.Throws<InvalidOperationException>(() => machine.Succeeded(new MailboxLifecycle(status), Now, NoJitter));
        Assert.Throws<InvalidOperationException>(() => machine.Reconnect(new MailboxLifecycle(status), Now));
    }

    [Theory]
    [InlineData(MailboxStatus.Enabled)]
    [InlineData(MailboxStatus.Error)]
    [InlineData(MailboxStatus.ConnectionIssue)]
    public void A_seat_holder_cannot_be_queued_or_admitted_again(MailboxStatus status)
    {
        Assert.Throws<InvalidOperationException>(() => machine.Queue(new MailboxLifecycle(status), Now));
        Assert.Throws<InvalidOperationException>(() => machine.Admit(new MailboxLifecycle(status), Now));
    }

    [Theory]
    [InlineData(MailboxStatus.NotConfigured, false, false, "grey")]
    [InlineData(MailboxStatus.Pending, false, false, "yellow")]
    [InlineData(MailboxStatus.Enabled, true, true, "green")]
    [InlineData(MailboxStatus.Error, true, true, "red")]
    [InlineData(MailboxStatus.ConnectionIssue, true, false, "orange")]
    public void Status_table_of_the_design(MailboxStatus status, bool seat, bool billed, string color)
    {
        Assert.Equal((seat, billed, color), (status.HoldsSeat(), status.IsBilled(), status.Color()));
    }

    [Fact]
    public void Due_attempts_only_for_seat_holders_once_their_time_has_come()
    {
        var enabled = new MailboxLifecycle(MailboxStatus.Enabled, NextAttemptAt: Now + TimeSpan.FromMinutes(1));

        Assert.False(enabled.IsAttemptDue(Now));
        Assert.True(enabled.IsAttemptDue(Now + TimeSpan.FromMinutes(1)));
        Assert.False((enabled with { Status = MailboxStatus.Pending }).IsAttemptDue(Now + TimeSpan.FromHours(1)));
    }
}
