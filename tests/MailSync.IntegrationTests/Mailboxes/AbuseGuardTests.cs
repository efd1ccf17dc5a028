using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Mailboxes;

/// <summary>Abuse guards in the cluster: "sync now" cools down per mailbox, and a wrong password is not retried every minute.</summary>
public sealed class AbuseGuardTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private async Task<TestCompany> CompanyWithLimit(int limit)
    {
        var company = new TestCompany(fixture.Client);
        await company.Grain.Upsert("Acme", limit);
        return company;
    }

    private Task<IReadOnlyList<SyncRequest>> AttemptsReach(TestCompany company, string user, int count) =>
        Poll.UntilAsync(() => Task.FromResult(fixture.Connector.Attempts(company.Key(user))), a => a.Count >= count, Deadline, $"{count} attempts of {user}");

    [Fact]
    public async Task Sync_now_within_the_cooldown_is_refused_and_changes_nothing_until_the_cooldown_passed()
    {
        var company = await CompanyWithLimit(2);
        await company.Connect("ann");
        await company.Connect("bob");
        await AttemptsReach(company, "ann", 1);
        await Poll.UntilAsync(() => company.Status("ann"), v => v.LastSyncAt is not null, Deadline, "ann's first pass recorded");

        var first = await company.Mailbox("ann").SyncNow();
        await AttemptsReach(company, "ann", 2);
        var settled = await Poll.UntilAsync(() => company.Status("ann"), v => v.NextAttemptAt > fixture.Time.GetUtcNow(), Deadline, "ann's sync now ran");
        var second = await company.Mailbox("ann").SyncNow();
        var afterSecond = await company.Status("ann");
        fixture.Time.Advance(TimeSpan.FromSeconds(45));
        var third = await company.Mailbox("ann").SyncNow();
        var otherMailbox = await company.Mailbox("bob").SyncNow();
        fixture.Time.Advance(TimeSpan.FromSeconds(15));
        var fourth = await company.Mailbox("ann").SyncNow();
        await AttemptsReach(company, "ann", 3);

        Assert.True(first.Ran);
        Assert.Equal(TimeSpan.FromMinutes(1), first.RetryAfter);
        Assert.Equal(MailboxStatus.Enabled, first.View.Status);
        // Refused: the remaining cooldown, and the mailbox exactly as it was (nothing scheduled, nothing written).
        Assert.False(second.Ran);
        Assert.True(second.CoolingDown);
        Assert.Equal(TimeSpan.FromMinutes(1), second.RetryAfter);
        Assert.Equal(settled, second.View);
        Assert.Equal(settled, afterSecond);
        Assert.Equal((false, TimeSpan.FromSeconds(15)), (third.Ran, third.RetryAfter));
        Assert.True(otherMailbox.Ran); // the cooldown is per mailbox
        Assert.True(fourth.Ran);
        Assert.Equal(3, fixture.Connector.Attempts(company.Key("ann")).Count);
    }

    [Fact]
    public async Task Sync_now_without_a_seat_is_not_a_cooldown()
    {
        var company = await CompanyWithLimit(0);
        await company.Connect("ann");

        var result = await company.Mailbox("ann").SyncNow();

        Assert.Equal((false, false, TimeSpan.Zero), (result.Ran, result.CoolingDown, result.RetryAfter));
        Assert.Equal(MailboxStatus.Pending, result.View.Status);
    }

    [Fact]
    public async Task A_wrong_password_waits_the_longest_back_off_at_once_and_a_refused_connection_the_shortest()
    {
        var company = await CompanyWithLimit(2);
        fixture.Connector.Fail(company.Key("ann"), MailboxErrorCode.AuthenticationFailed);
        fixture.Connector.Fail(company.Key("bob"), MailboxErrorCode.ConnectionRefused);
        var failedAt = fixture.Time.GetUtcNow(); // this test does not move the clock

        await company.Connect("ann");
        await company.Connect("bob");
        var ann = await Poll.UntilAsync(() => company.Status("ann"), v => v.Status == MailboxStatus.Error, Deadline, "ann in Error");
        var bob = await Poll.UntilAsync(() => company.Status("bob"), v => v.Status == MailboxStatus.Error, Deadline, "bob in Error");

        // MailSync:Retry:Max (1 h) ± 20 % for the password; Retry:Initial (1 min) ± 20 % for the refused connection.
        Assert.InRange(ann.NextAttemptAt!.Value - failedAt, TimeSpan.FromMinutes(48), TimeSpan.FromMinutes(72));
        Assert.InRange(bob.NextAttemptAt!.Value - failedAt, TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72));
        Assert.Equal(MailboxErrorCode.AuthenticationFailed, ann.LastError!.Code);
    }
}
