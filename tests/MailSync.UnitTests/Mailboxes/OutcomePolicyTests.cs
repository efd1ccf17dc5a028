using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Shared.Configuration;

namespace MailSync.UnitTests.Mailboxes;

public sealed class OutcomePolicyTests
{
    private const string Password = "s3cret-pass";
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MailboxCredentials Credentials =
        new(MailboxProvider.Custom, "ann@acme.test", "ann", Password, new ImapEndpoint("imap.acme.test", 993, ImapSecurity.Ssl));

    private readonly MailSyncOptions options = new();
    private readonly OutcomePolicy policy = new(new MailSyncOptions());

    private static MailboxLifecycle Enabled => new(MailboxStatus.Enabled, NextAttemptAt: Now);

    private static AttemptFacts Facts(DateTimeOffset at, int attempt = 1) => new(at, Credentials, attempt, 0.5, 0.5);

    [Fact]
    public void A_success_counts_its_messages_schedules_the_next_poll_and_logs_its_warnings_as_warnings()
    {
        var outcome = SyncOutcome.Success(7) with { Warnings = [new SyncWarning(MailboxErrorCode.SentFolderMissing, "no Sent")] };

        var decision = policy.Decide(Enabled, busySince: null, outcome, Facts(Now));

        Assert.Equal(MailboxStatus.Enabled, decision.Lifecycle.Status);
        Assert.Equal(Now + options.PollInterval, decision.Lifecycle.NextAttemptAt);
        Assert.Equal(Now, decision.Lifecycle.LastSyncAt);
        Assert.Equal(7, decision.MessagesSynced);
        var warning = Assert.Single(decision.Entries);
        Assert.True(warning.Warning);
        Assert.Equal(MailboxErrorCode.SentFolderMissing, warning.Entry.Code);
        Assert.True(decision.Counted);
    }

    [Fact]
    public void A_pass_cut_short_at_its_budget_goes_on_at_once()
    {
        var decision = policy.Decide(Enabled, null, SyncOutcome.Success(2500, moreToSync: true), Facts(Now));

        Assert.Equal(Now, decision.Lifecycle.NextAttemptAt);
    }

    [Fact]
    public void A_failure_turns_Error_with_an_entry_in_plain_words_a_fix_and_no_secret_in_the_detail()
    {
        var outcome = SyncOutcome.Failure(MailboxErrorCode.AuthenticationFailed, $"NO [AUTHENTICATIONFAILED] bad password {Password}");

        var decision = policy.Decide(Enabled, null, outcome, Facts(Now, attempt: 3));

        Assert.Equal(MailboxStatus.Error, decision.Lifecycle.Status);
        var entry = Assert.Single(decision.Entries);
        Assert.False(entry.Warning);
        Assert.Equal(MailboxErrorCode.AuthenticationFailed, entry.Entry.Code);
        Assert.Equal(3, entry.Entry.Attempt);
        Assert.Equal(Now, entry.Entry.OccurredAt);
        Assert.False(string.IsNullOrWhiteSpace(entry.Entry.Message));
        Assert.False(string.IsNullOrWhiteSpace(entry.Entry.Fix));
        Assert.DoesNotContain(Password, entry.Entry.Detail);
        Assert.Equal(0, decision.MessagesSynced);
    }

    [Fact]
    public void A_failure_streak_as_old_as_the_limit_becomes_a_ConnectionIssue_that_stops_trying()
    {
        var failing = new MailboxLifecycle(MailboxStatus.Error, FailingSince: Now, ConsecutiveFailures: 40, NextAttemptAt: Now);
        var later = Now + options.ConnectionIssueAfter;

        var decision = policy.Decide(failing, null, SyncOutcome.Failure(MailboxErrorCode.ConnectionRefused, null), Facts(later));

        Assert.Equal(MailboxStatus.ConnectionIssue, decision.Lifecycle.Status);
        Assert.Null(decision.Lifecycle.NextAttemptAt);
    }

    [Fact]
    public void A_platform_fault_is_deferred_keeps_the_status_and_streak_and_tells_the_user_nothing()
    {
        var failing = new MailboxLifecycle(MailboxStatus.Error, FailingSince: Now, ConsecutiveFailures: 2, NextAttemptAt: Now);
        var outcome = SyncOutcome.PlatformFault("Writing the timeline") with { Warnings = [new SyncWarning(MailboxErrorCode.MessageNotStored, "x")] };

        var decision = policy.Decide(failing, null, outcome, Facts(Now));

        Assert.Equal(failing with { NextAttemptAt = decision.Lifecycle.NextAttemptAt }, decision.Lifecycle);
        Assert.InRange(decision.Lifecycle.NextAttemptAt!.Value, Now, Now + MailboxStatusMachine.DeferredRetry * 2);
        Assert.Empty(decision.Entries);
        Assert.False(decision.Counted);
        Assert.Null(decision.BusySince);
    }

    [Fact]
    public void Waiting_for_a_free_connection_is_said_once_it_lasts_longer_than_a_poll_interval_and_forgotten_once_a_pass_runs()
    {
        var first = policy.Decide(Enabled, null, SyncOutcome.Busy(), Facts(Now));
        var soon = policy.Decide(first.Lifecycle, first.BusySince, SyncOutcome.Busy(), Facts(Now + options.PollInterval));
        var late = policy.Decide(soon.Lifecycle, soon.BusySince, SyncOutcome.Busy(), Facts(Now + options.PollInterval + TimeSpan.FromSeconds(1)));
        var ran = policy.Decide(late.Lifecycle, late.BusySince, SyncOutcome.Success(0), Facts(Now + options.PollInterval * 2));

        Assert.Equal(Now, first.BusySince);
        Assert.Empty(first.Entries);
        Assert.Empty(soon.Entries);
        var warning = Assert.Single(late.Entries);
        Assert.True(warning.Warning);
        Assert.Equal(MailboxErrorCode.SyncDelayed, warning.Entry.Code);
        Assert.Equal(MailboxStatus.Enabled, late.Lifecycle.Status);
        Assert.Null(ran.BusySince);
    }
}
