using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Secrets;

namespace MailSync.UnitTests.Mailboxes;

public sealed class DisconnectCleanupTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly ImapEndpoint Gmail = new("imap.gmail.com", 993, ImapSecurity.Ssl);

    private static readonly DisconnectCleanup Cleanup = new(new RetryOptions { Initial = TimeSpan.FromMinutes(1), Max = TimeSpan.FromHours(1), Jitter = 0.2 });

    private static StoredCredentials Stored(MailboxProvider provider, string email = "ann@gmail.com") =>
        new(provider, email, email, Gmail, new EncryptedSecret("k1", "sealed"));

    private static MailboxCredentials Next(MailboxProvider provider, string email = "ann@gmail.com") => new(provider, email, email, "secret", Gmail);

    [Theory]
    [InlineData(MailboxProvider.Google, "ANN@gmail.com", false)] // the same account signs in again: its new grant must live
    [InlineData(MailboxProvider.Google, "bea@gmail.com", true)]
    [InlineData(MailboxProvider.GoogleAppPassword, "ann@gmail.com", true)]
    [InlineData(MailboxProvider.Custom, "ann@gmail.com", true)]
    public void Replacing_a_Google_sign_in_revokes_it_unless_the_same_account_signs_in_again(MailboxProvider next, string email, bool revokes)
    {
        Assert.Equal(revokes, DisconnectCleanup.RevokesOnReplace(Stored(MailboxProvider.Google), Next(next, email)));
    }

    [Theory]
    [InlineData(MailboxProvider.GoogleAppPassword)]
    [InlineData(MailboxProvider.Custom)]
    public void Only_Google_sign_ins_have_a_grant_to_revoke(MailboxProvider provider)
    {
        Assert.False(DisconnectCleanup.RevokesOnReplace(Stored(provider), Next(MailboxProvider.Custom)));
        Assert.False(DisconnectCleanup.RevokesOnReplace(null, Next(MailboxProvider.Custom)));
        Assert.Null(DisconnectCleanup.OwedBy(Stored(provider), Now));
        Assert.Null(DisconnectCleanup.OwedBy(null, Now));
    }

    [Fact]
    public void A_disconnected_Google_sign_in_owes_its_revocation_at_once_with_the_token_still_sealed()
    {
        var stored = Stored(MailboxProvider.Google);

        Assert.Equal(new OwedRevocation(stored, Now, 0, Now), DisconnectCleanup.OwedBy(stored, Now));
    }

    [Fact]
    public void A_new_sign_in_to_the_same_Google_account_supersedes_an_owed_revocation_and_nothing_else_does()
    {
        var owed = new OwedRevocation(Stored(MailboxProvider.Google), Now, 3, Now.AddMinutes(5));

        Assert.True(DisconnectCleanup.Supersedes(Next(MailboxProvider.Google, "Ann@Gmail.com"), owed));
        Assert.False(DisconnectCleanup.Supersedes(Next(MailboxProvider.Google, "bea@gmail.com"), owed));
        Assert.False(DisconnectCleanup.Supersedes(Next(MailboxProvider.GoogleAppPassword), owed));
    }

    [Fact]
    public void Failed_revocations_back_off_and_are_given_up_a_day_after_the_disconnect()
    {
        var owed = new OwedRevocation(Stored(MailboxProvider.Google), Now, 0, Now);

        var first = Cleanup.AfterFailure(owed, Now, 0.5)!;
        var second = Cleanup.AfterFailure(first, Now.AddMinutes(1), 0.5)!;
        var late = Cleanup.AfterFailure(second with { FailedAttempts = 40 }, Now.AddHours(23), 0.5)!;

        Assert.Equal((1, Now.AddMinutes(1)), (first.FailedAttempts, first.NextAttemptAt));
        Assert.Equal((2, Now.AddMinutes(3)), (second.FailedAttempts, second.NextAttemptAt));
        Assert.Equal(Now.AddHours(24), late.NextAttemptAt); // capped at Retry:Max
        Assert.Null(Cleanup.AfterFailure(late, Now.AddHours(24), 0.5));
    }

    [Fact]
    public void Owed_history_is_due_at_once_revocations_when_the_earliest_is_due_and_nothing_owed_never()
    {
        OwedRevocation At(int minutes) => new(Stored(MailboxProvider.Google), Now, 1, Now.AddMinutes(minutes));

        Assert.Equal(Now, DisconnectCleanup.DueAt(new HistoryDeletion(Now.AddHours(-1)), [At(5)], Now));
        Assert.Equal(Now.AddMinutes(2), DisconnectCleanup.DueAt(null, [At(5), At(2), At(9)], Now));
        Assert.Null(DisconnectCleanup.DueAt(null, [], Now));
    }

    [Fact]
    public void Owed_cleanup_arms_the_timer_without_a_seat_and_before_a_later_attempt()
    {
        var disconnected = MailboxLifecycle.NotConfigured;
        var enabled = new MailboxLifecycle(MailboxStatus.Enabled, NextAttemptAt: Now.AddMinutes(5));

        Assert.Equal(TimeSpan.FromSeconds(30), MailboxSchedule.TimerDue(disconnected, Now, Now.AddSeconds(30)));
        Assert.Equal(TimeSpan.Zero, MailboxSchedule.TimerDue(enabled, Now, Now));
        Assert.Equal(TimeSpan.FromMinutes(5), MailboxSchedule.TimerDue(enabled, Now, Now.AddMinutes(9)));
        Assert.Null(MailboxSchedule.TimerDue(disconnected, Now, null));
    }

    [Fact]
    public void Owed_cleanup_keeps_the_reminder_of_a_disconnected_mailbox()
    {
        Assert.True(MailboxSchedule.WantsReminder(MailboxLifecycle.NotConfigured, seatReleasePending: false, cleanupOwed: true));
        Assert.False(MailboxSchedule.WantsReminder(MailboxLifecycle.NotConfigured, seatReleasePending: false, cleanupOwed: false));
    }
}
