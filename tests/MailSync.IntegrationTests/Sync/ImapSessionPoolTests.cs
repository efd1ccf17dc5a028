using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Timeline;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

[Trait("Category", "Servers")]
public sealed class ImapSessionPoolTests
{
    private static readonly DateTimeOffset Yesterday = DateTimeOffset.UtcNow.AddDays(-1);

    [Fact]
    public async Task A_kept_session_that_the_server_dropped_is_replaced_and_the_poll_still_syncs()
    {
        var harness = new SyncHarness();
        harness.Leads.Add("lee", "lee@lead.example");
        var (user, password) = Dovecot.CreateUser("kick");
        var credentials = Dovecot.Credentials(user, password);
        Assert.True((await harness.SyncAsync(user, credentials)).Succeeded);
        Assert.Equal(1, harness.Sessions.IdleCount);

        await Dovecot.KickAsync(user);
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "after the kick", Yesterday));
        var outcome = await harness.SyncAsync(user, credentials);

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(1, outcome.MessagesSynced);
        Assert.Single(await harness.TimelineOf("lee"));
    }

    [Fact]
    public async Task With_one_pass_allowed_per_silo_two_mailboxes_take_turns_and_both_sessions_are_kept()
    {
        var harness = new SyncHarness(o => o.MaxConcurrentSessionsPerSilo = 1);
        var (ann, annPassword) = Dovecot.CreateUser("cap-ann");
        var (bob, bobPassword) = Dovecot.CreateUser("cap-bob");

        var other = new SyncHarness(o => o.MaxConcurrentSessionsPerSilo = 1);

        // Two mailboxes (cursors of their own) share one pool of one socket.
        var results = await Task.WhenAll(
            harness.SyncAsync(ann, Dovecot.Credentials(ann, annPassword)),
            other.SyncAsync(bob, Dovecot.Credentials(bob, bobPassword), sessions: harness.Sessions))
            .WaitAsync(TimeSpan.FromSeconds(60)); // a deadlock over the one socket fails here instead of hanging the suite

        Assert.All(results, r => Assert.True(r.Succeeded, r.Detail));
        Assert.Equal(2, harness.Sessions.IdleCount); // kept sessions are budgeted apart from the passes (MaxKeptSessionsPerSilo)
    }

    [Fact]
    public async Task A_pass_waiting_on_slow_storage_gives_its_slot_back_so_another_mailbox_of_the_company_syncs_meanwhile()
    {
        // One slot, so one company's share is one pass; a pass that finds no slot waits MaxPassDuration, then is deferred.
        var harness = new SyncHarness(o => { o.MaxConcurrentSessionsPerSilo = 1; o.MaxPassDuration = TimeSpan.FromSeconds(5); });
        harness.Leads.Add("lee", "lee@lead.example");
        var (ann, annPassword) = Dovecot.CreateUser("slow-ann");
        var (bob, bobPassword) = Dovecot.CreateUser("slow-bob");
        Dovecot.Plant(ann, Mail.Message("lee@lead.example", [Dovecot.Address(ann)], "Offer", Yesterday));
        var storage = new GatedTimeline(harness.Timeline);

        // Ann's cursors are not kept: the harness's cursors are Bob's.
        var annPass = harness.SyncAsync(ann, Dovecot.Credentials(ann, annPassword), _ => Task.CompletedTask, timeline: storage);
        await storage.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var bobOutcome = await harness.SyncAsync(bob, Dovecot.Credentials(bob, bobPassword)).WaitAsync(TimeSpan.FromSeconds(30));
        storage.Open();
        var annOutcome = await annPass.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(bobOutcome.Succeeded, $"{bobOutcome.Deferral} {bobOutcome.Detail}"); // not deferred behind ann's storage
        Assert.Equal((true, 1), (annOutcome.Succeeded, annOutcome.MessagesSynced));
        Assert.Equal("Offer", Assert.Single(await harness.TimelineOf("lee")).Subject);
        Assert.Equal(2, harness.Sessions.IdleCount);
    }

    [Fact]
    public async Task New_credentials_replace_the_kept_session_without_leaking_a_socket_slot()
    {
        var harness = new SyncHarness(o => o.MaxConcurrentSessionsPerSilo = 2);
        var (user, password) = Dovecot.CreateUser("rotate");
        Assert.True((await harness.SyncAsync(user, Dovecot.Credentials(user, password))).Succeeded);

        // Other settings for the same account (STARTTLS instead of implicit TLS): the kept session no longer fits.
        var outcome = await harness.SyncAsync(user, Dovecot.Credentials(user, password, ImapSecurity.StartTls));

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(1, harness.Sessions.OpenSessions);
        Assert.Equal(1, harness.Sessions.IdleCount);
    }

    [Fact]
    public async Task More_mailboxes_polling_in_a_cycle_than_passes_allowed_log_in_once_then_reuse_their_kept_sessions()
    {
        const int mailboxes = 12;
        var pool = new SyncHarness(o => (o.MaxConcurrentSessionsPerSilo, o.MaxConcurrentSessionsPerHost) = (3, 3)).Sessions;
        var polls = Enumerable.Range(0, mailboxes).Select(i => (Harness: new SyncHarness(), User: Dovecot.CreateUser($"cycle{i}"))).ToList();

        var loginsPerRound = new List<long>();
        for (var round = 0; round < 4; round++)
        {
            var before = pool.Logins;
            // All at once, four times the passes allowed: they take turns on three sockets.
            var outcomes = await Task.WhenAll(polls.Select(p => p.Harness.SyncAsync(p.User.User, Dovecot.Credentials(p.User.User, p.User.Password), sessions: pool)))
                .WaitAsync(TimeSpan.FromSeconds(120));
            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Detail));
            loginsPerRound.Add(pool.Logins - before);
        }

        Assert.Equal([mailboxes, 0, 0, 0], loginsPerRound);
        Assert.Equal(mailboxes, pool.IdleCount);
    }

    [Fact]
    public async Task With_fewer_kept_sessions_than_mailboxes_the_ones_polling_next_are_kept_and_reused_every_round()
    {
        // 8 mailboxes poll in a fixed order, 4 sessions kept: closing the oldest would make every poll log in again;
        // closing the one whose poll is furthest away keeps 4 reuses per round.
        const int mailboxes = 8, kept = 4;
        var pool = new SyncHarness(o => o.MaxKeptSessionsPerSilo = kept).Sessions;
        var polls = Enumerable.Range(0, mailboxes).Select(i => (Harness: new SyncHarness(), User: Dovecot.CreateUser($"few{i}"))).ToList();

        var loginsPerRound = new List<long>();
        for (var round = 0; round < 3; round++)
        {
            var before = pool.Logins;
            foreach (var (harness, (user, password)) in polls)
                Assert.True((await harness.SyncAsync(user, Dovecot.Credentials(user, password), sessions: pool)).Succeeded);
            loginsPerRound.Add(pool.Logins - before);
        }

        Assert.Equal([mailboxes, mailboxes - kept, mailboxes - kept], loginsPerRound);
        Assert.Equal(kept, pool.IdleCount);
    }

    /// <summary>Storage whose timeline writes wait until <see cref="Open"/>: a pass held up by storage, not by its mail server.</summary>
    private sealed class GatedTimeline(ITimelineStore inner) : ITimelineStore
    {
        private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => entered.Task;

        public void Open() => open.TrySetResult();

        public async Task<IReadOnlyList<RefusedEntry>> WriteAsync(string companyId, IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken = default)
        {
            entered.TrySetResult();
            await open.Task.WaitAsync(cancellationToken);
            return await inner.WriteAsync(companyId, entries, cancellationToken);
        }

        public Task<TimelinePage> ReadPageAsync(string companyId, string leadId, int limit, string? continuation, CancellationToken cancellationToken = default) =>
            inner.ReadPageAsync(companyId, leadId, limit, continuation, cancellationToken);

        public Task<TimelineDeletionStep> DeleteAsync(string companyId, TimelineRowFilter filter, int max, string? from, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(companyId, filter, max, from, cancellationToken);
    }
}
