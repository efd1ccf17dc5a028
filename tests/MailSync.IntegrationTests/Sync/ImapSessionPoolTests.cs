using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

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
    public async Task With_one_session_allowed_per_silo_two_mailboxes_take_turns_on_one_socket()
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
        Assert.Equal(1, harness.Sessions.IdleCount);
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
}
