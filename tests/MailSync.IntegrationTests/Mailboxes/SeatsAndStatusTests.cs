using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Mailboxes;

public sealed class SeatsAndStatusTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private async Task<TestCompany> CompanyWithLimit(int limit)
    {
        var company = new TestCompany(fixture.Client);
        await company.Grain.Upsert("Acme", limit);
        return company;
    }

    private static Task<MailboxView> WaitForStatus(TestCompany company, string user, MailboxStatus status) =>
        Poll.UntilAsync(() => company.Status(user), v => v.Status == status, Deadline, $"{user} is {status}");

    /// <summary>Waits for Error, then moves the clock to each scheduled retry (which fails) until the status changes.</summary>
    private async Task<MailboxView> FailUntilItLeavesError(TestCompany company, string user)
    {
        var view = await WaitForStatus(company, user, MailboxStatus.Error);
        while (view.Status == MailboxStatus.Error)
        {
            fixture.Time.SetUtcNow(view.NextAttemptAt!.Value);
            await company.Wake(user);
            view = await company.Status(user);
        }
        return view;
    }

    [Fact]
    public async Task Limit_2_and_three_users_gives_two_seat_holders_and_one_Pending_at_position_1()
    {
        var company = await CompanyWithLimit(2);

        var views = new List<MailboxView>();
        foreach (var user in new[] { "ann", "bob", "cat" }) views.Add(await company.Connect(user));
        var overview = await company.Grain.GetOverview();

        Assert.Equal([MailboxStatus.Enabled, MailboxStatus.Enabled, MailboxStatus.Pending], views.Select(v => v.Status));
        Assert.Equal(["ann", "bob"], await company.SeatHolders("ann", "bob", "cat"));
        Assert.Equal((2, 1), (overview.SeatsUsed, overview.PendingCount));
        Assert.Equal(["cat"], overview.Pending);
        Assert.Equal(SeatDecision.Queued(1), await company.Grain.RequestSeat("cat"));
        Assert.Equal(fixture.Time.GetUtcNow(), views[2].PendingSince); // this class's clock stands still in this test
        Assert.False(views[2].Billable);
    }

    [Fact]
    public async Task A_disconnect_promotes_the_Pending_user_whose_first_attempt_starts_at_once()
    {
        var company = await CompanyWithLimit(1);
        await company.Connect("ann");
        await company.Connect("bob");
        Assert.Empty(fixture.Connector.Attempts(company.Key("bob")));

        await company.Mailbox("ann").Disconnect(keepHistory: true);

        var bob = await Poll.UntilAsync(() => company.Status("bob"), v => v.LastSyncAt is not null, Deadline, "bob synced");
        Assert.Equal(MailboxStatus.Enabled, bob.Status);
        Assert.Single(fixture.Connector.Attempts(company.Key("bob")));
        Assert.Equal(MailboxStatus.NotConfigured, (await company.Status("ann")).Status);
        var overview = await company.Grain.GetOverview();
        Assert.Equal(["bob"], await company.SeatHolders("ann", "bob"));
        Assert.Equal((1, 0), (overview.SeatsUsed, overview.PendingCount));
    }

    [Fact]
    public async Task Raising_the_limit_from_1_to_3_promotes_the_first_two_waiting_in_FIFO_order()
    {
        var company = await CompanyWithLimit(1);
        foreach (var user in new[] { "ann", "bob", "cat", "dan" }) await company.Connect(user);

        await company.Grain.Upsert("Acme", 3);

        await WaitForStatus(company, "bob", MailboxStatus.Enabled);
        await WaitForStatus(company, "cat", MailboxStatus.Enabled);
        var overview = await company.Grain.GetOverview();
        Assert.Equal(["ann", "bob", "cat"], await company.SeatHolders("ann", "bob", "cat", "dan"));
        Assert.Equal(["dan"], overview.Pending);
        Assert.Equal(MailboxStatus.Pending, (await company.Status("dan")).Status);
    }

    [Fact]
    public async Task Lowering_the_limit_disconnects_nobody()
    {
        var company = await CompanyWithLimit(2);
        await company.Connect("ann");
        await company.Connect("bob");

        await company.Grain.Upsert("Acme", 1);
        var cat = await company.Connect("cat");

        Assert.Equal(MailboxStatus.Pending, cat.Status);
        Assert.Equal(MailboxStatus.Enabled, (await company.Status("ann")).Status);
        Assert.Equal(MailboxStatus.Enabled, (await company.Status("bob")).Status);
        Assert.Equal(2, (await company.Grain.GetOverview()).SeatsUsed);
    }

    [Fact]
    public async Task A_wrong_password_shows_Error_with_its_fix_and_the_right_one_Enabled()
    {
        var company = await CompanyWithLimit(1);
        fixture.Connector.Fail(company.Key("ann"), MailboxErrorCode.AuthenticationFailed, "NO [AUTHENTICATIONFAILED] Authentication failed. wrong-pw-123");

        await company.Connect("ann", password: "wrong-pw-123");
        var error = await WaitForStatus(company, "ann", MailboxStatus.Error);
        fixture.Connector.Succeed(company.Key("ann"));
        await company.Connect("ann", password: "right-pw");
        var enabled = await Poll.UntilAsync(() => company.Status("ann"), v => v.LastSyncAt is not null, Deadline, "ann synced");

        Assert.Equal(MailboxErrorCode.AuthenticationFailed, error.LastError!.Code);
        Assert.Contains("password", error.LastError.Fix);
        Assert.DoesNotContain("wrong-pw-123", error.LastError.Detail);
        Assert.Equal(1, error.LastError.Attempt);
        Assert.Equal(MailboxStatus.Enabled, enabled.Status);
        Assert.Single(await company.Mailbox("ann").GetErrors(100));
    }

    [Fact]
    public async Task Status_answers_while_an_attempt_is_blocked_in_the_connector()
    {
        var company = await CompanyWithLimit(1);
        var gate = fixture.Connector.Block(company.Key("ann"));

        await company.Connect("ann");
        await Poll.UntilAsync(() => Task.FromResult(fixture.Connector.Attempts(company.Key("ann")).Count), n => n == 1, Deadline, "attempt started");

        // The gate is still closed: the attempt stays blocked in the connector until the finally below releases it. So if
        // reading the status waited for the attempt, this read would never finish; the timeout makes that a failure, not a hang.
        MailboxView during;
        try
        {
            during = await company.Status("ann").WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            gate.SetResult(SyncOutcome.Success(3));
        }
        var done = await Poll.UntilAsync(() => company.Status("ann"), v => v.LastSyncAt is not null, Deadline, "attempt finished");

        Assert.Equal(MailboxStatus.Enabled, during.Status);
        Assert.Null(during.LastSyncAt);
        Assert.Equal(3, done.MessagesSynced);
    }

    [Fact]
    public async Task Mail_announced_while_a_pass_runs_is_synced_by_another_pass_at_once_not_a_poll_interval_later()
    {
        var company = await CompanyWithLimit(1);
        var key = company.Key("ann");
        var gate = fixture.Connector.Block(key);
        await company.Connect("ann");
        await Poll.UntilAsync(() => Task.FromResult(fixture.Connector.Attempts(key).Count), n => n == 1, Deadline, "first pass started");

        // The watch the pass began as it returned its session saw mail the pass did not.
        await company.Mailbox("ann").AsReference<IMailboxTestHooks>().AnnounceMail();
        fixture.Connector.Succeed(key, messages: 1);
        gate.SetResult(SyncOutcome.Success(0));

        // The fake clock stands still: only a pass due now, not the next poll, can come.
        await Poll.UntilAsync(() => Task.FromResult(fixture.Connector.Attempts(key).Count), n => n == 2, Deadline, "the announced mail's pass");
        var view = await Poll.UntilAsync(() => company.Status("ann"), v => v.MessagesSynced == 1, Deadline, "the announced mail synced");
        Assert.Equal(MailboxStatus.Enabled, view.Status);
    }

    [Fact]
    public async Task Forty_eight_hours_of_failures_end_in_ConnectionIssue_billing_stops_and_a_reconnect_recovers()
    {
        var company = await CompanyWithLimit(1);
        var key = company.Key("ann");
        fixture.Connector.Fail(key, MailboxErrorCode.ConnectionRefused);
        var admittedAt = fixture.Time.GetUtcNow();
        await company.Connect("ann");
        var view = await FailUntilItLeavesError(company, "ann");
        var issueAt = fixture.Time.GetUtcNow();
        var attemptsAtIssue = fixture.Connector.Attempts(key).Count;

        Assert.Equal(MailboxStatus.ConnectionIssue, view.Status);
        Assert.InRange(issueAt - view.FailingSince!.Value, TimeSpan.FromHours(48), TimeSpan.FromHours(49.2));
        Assert.False(view.Billable);
        Assert.Null(view.NextAttemptAt);

        fixture.Time.Advance(TimeSpan.FromHours(10));
        await company.Wake("ann");
        Assert.Equal(attemptsAtIssue, fixture.Connector.Attempts(key).Count);
        var billedUntilIssue = (long)(issueAt - admittedAt).TotalSeconds;
        Assert.Equal(billedUntilIssue, await company.Mailbox("ann").GetBillableSeconds(admittedAt, fixture.Time.GetUtcNow()));

        fixture.Connector.Succeed(key);
        var reconnectedAt = fixture.Time.GetUtcNow();
        await company.Connect("ann", password: "new-password");
        var recovered = await Poll.UntilAsync(() => company.Status("ann"), v => v.Status == MailboxStatus.Enabled, Deadline, "recovered");
        fixture.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(attemptsAtIssue + 1, fixture.Connector.Attempts(key).Count);
        Assert.True(recovered.Billable);
        Assert.Equal(billedUntilIssue + 3600, await company.Mailbox("ann").GetBillableSeconds(admittedAt, fixture.Time.GetUtcNow()));
        // The company's billing is read from the rows the mailbox keeps current: it agrees with the mailbox itself.
        var billing = await Poll.UntilAsync(
            () => fixture.Client.GetGrain<ICompanyDirectoryGrain>(company.Id).GetBilling(reconnectedAt, fixture.Time.GetUtcNow()),
            b => b.Count == 1, Deadline, "billing rows written");
        Assert.Equal([new UserBilling("ann", 3600)], billing);
    }

    [Fact]
    public async Task A_retry_out_of_ConnectionIssue_attempts_once_at_once()
    {
        var company = await CompanyWithLimit(1);
        var key = company.Key("ann");
        fixture.Connector.Fail(key, MailboxErrorCode.HostNotFound);
        await company.Connect("ann");
        var view = await FailUntilItLeavesError(company, "ann");
        var attempts = fixture.Connector.Attempts(key).Count;

        fixture.Connector.Succeed(key);
        await company.Mailbox("ann").SyncNow();

        await WaitForStatus(company, "ann", MailboxStatus.Enabled);
        Assert.Equal(MailboxStatus.ConnectionIssue, view.Status);
        Assert.Equal(attempts + 1, fixture.Connector.Attempts(key).Count);
    }

    [Fact]
    public async Task Sync_now_while_Pending_changes_nothing()
    {
        var company = await CompanyWithLimit(0);
        await company.Connect("ann");

        var view = (await company.Mailbox("ann").SyncNow()).View;

        Assert.Equal(MailboxStatus.Pending, view.Status);
        Assert.Empty(fixture.Connector.Attempts(company.Key("ann")));
    }

    [Fact]
    public async Task Disconnecting_a_Pending_user_removes_it_from_the_queue()
    {
        var company = await CompanyWithLimit(0);
        await company.Connect("ann");
        await company.Connect("bob");

        await company.Mailbox("ann").Disconnect(keepHistory: false);

        Assert.Equal(["bob"], (await company.Grain.GetOverview()).Pending);
        Assert.Equal(SeatDecision.Queued(1), await company.Grain.RequestSeat("bob"));
    }
}
