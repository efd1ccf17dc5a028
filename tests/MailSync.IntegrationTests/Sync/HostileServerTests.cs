using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>Servers that would hold a socket and a grain turn forever, and tenants whose servers all hang.</summary>
[Trait("Category", "Servers")]
public sealed class HostileServerTests
{
    /// <summary>A pass that never ends must fail this test, not hang the suite.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    /// <summary>Far below a stuck pass's deadline: what a grain call may take while the pass waits on the server.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private static void Impatient(MailSync.Shared.Configuration.MailSyncOptions o)
    {
        o.ImapTimeout = TimeSpan.FromSeconds(3);
        o.MaxPassDuration = TimeSpan.FromSeconds(2);
        o.AllowInsecureImap = true; // the fake servers speak plain IMAP
    }

    private static MailboxCredentials At(int port, string user = "ann") =>
        new(MailboxProvider.Custom, $"{user}@hostile.test", user, "pw", new ImapEndpoint("127.0.0.1", port, ImapSecurity.None));

    [Fact]
    public async Task A_search_answer_naming_every_possible_UID_is_a_protocol_error_not_four_billion_numbers_in_memory()
    {
        await using var server = HostileImapServer.HugeSearch(); // "* ESEARCH (TAG …) UID ALL 1:4294967294" for 3,000 messages
        var harness = new SyncHarness(o => o.AllowInsecureImap = true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var outcome = await harness.SyncAsync("ann", At(server.Port)).WaitAsync(Hang);

        Assert.Equal((false, MailboxErrorCode.ProtocolError), (outcome.Succeeded, outcome.Code));
        Assert.Contains("named more messages than the folder holds", outcome.Detail);
        // Reading the answer stops at the folder's count: a few MB at most, where the whole set is 17 GB of numbers.
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - allocated, 0, 512L * 1024 * 1024);
    }

    [Fact]
    public async Task Header_fields_of_8_MB_per_message_are_refused_with_a_fix_the_user_can_act_on_while_another_mailbox_syncs()
    {
        await using var server = HostileImapServer.HugeHeaders(); // 64 messages × 8 MB of headers, 512 MB in all
        var hostile = new SyncHarness(o => o.AllowInsecureImap = true);
        hostile.Leads.Add("lee", "lee@lead.example");
        var neighbour = new SyncHarness(o => o.AllowInsecureImap = true);
        var (user, password) = Dovecot.CreateUser("nextdoor");
        neighbour.Leads.Add("lee", "lee@lead.example");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "beside it", DateTimeOffset.UtcNow.AddDays(-1)));
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var refused = hostile.SyncAsync("ann", At(server.Port), sessions: hostile.Sessions);
        var onTime = await neighbour.SyncAsync(user, Dovecot.Credentials(user, password), sessions: hostile.Sessions).WaitAsync(Hang);
        var outcome = await refused.WaitAsync(Hang);

        Assert.Equal((false, MailboxErrorCode.ProtocolError), (outcome.Succeeded, outcome.Code));
        Assert.Contains("an item of 8,388,608 bytes (at most 256 KB are read) in the headers of 64 messages in INBOX", outcome.Detail);
        Assert.Contains("moving it to Trash lets the sync go on", outcome.Detail);
        Assert.Empty(await hostile.TimelineOf("lee"));
        // The first literal was refused by its size and the connection closed: of the 64, no more went out than the
        // sockets' buffers could hold (a parse of even a 4 MB header would have allocated 2 GB in MimeKit).
        Assert.InRange(server.HeaderBytesSent, 0, 2L * HostileImapServer.HugeHeaderBytes);
        // The whole test process (other tests run beside it) allocated well under 512 MB.
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - allocated, 0, 256L * 1024 * 1024);
        Assert.True(onTime.Succeeded, onTime.Detail);
        Assert.Equal("beside it", Assert.Single(await neighbour.TimelineOf("lee")).Subject);
    }

    [Fact]
    public async Task A_server_that_trickles_a_line_at_a_time_is_cut_off_at_the_pass_deadline_and_gives_its_socket_back()
    {
        await using var server = HostileImapServer.Trickling(TimeSpan.FromMilliseconds(500)); // each line well within the 3 s read timeout
        var harness = new SyncHarness(Impatient);

        var outcome = await harness.SyncAsync("ann", At(server.Port)).WaitAsync(Hang);

        Assert.False(outcome.Succeeded);
        Assert.Equal(MailboxErrorCode.ConnectionTimeout, outcome.Code);
        Assert.Contains("within 5 seconds", outcome.Detail);
        Assert.Equal(1, server.Connections);
        Assert.Equal(0, harness.Sessions.OpenSessions);
    }

    [Fact]
    public async Task Forty_mailboxes_of_one_company_on_a_blackholed_host_do_not_delay_another_companys_mailbox()
    {
        await using var blackhole = HostileImapServer.Blackhole();
        void Configure(MailSync.Shared.Configuration.MailSyncOptions o)
        {
            Impatient(o);
            // A pass waits 1 s for its company's share; the blackholed connects hang 10 s: nobody gets a share late.
            o.MaxPassDuration = TimeSpan.FromSeconds(1);
            o.ImapTimeout = TimeSpan.FromSeconds(10);
            o.MaxConcurrentSessionsPerSilo = 8;
            o.MaxConcurrentSessionsPerCompany = 2;
        }
        var hostile = new SyncHarness(Configure);
        var neighbour = new SyncHarness(Configure);
        var (user, password) = Dovecot.CreateUser("neighbour");
        neighbour.Leads.Add("lee", "lee@lead.example");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "still on time", DateTimeOffset.UtcNow.AddDays(-1)));
        var pool = hostile.Sessions; // one silo: both companies share its sockets

        var stuck = Enumerable.Range(0, 40).Select(i => hostile.SyncAsync($"u{i}", At(blackhole.Port, $"u{i}"), sessions: pool)).ToList();
        var onTime = await neighbour.SyncAsync(user, Dovecot.Credentials(user, password), sessions: pool).WaitAsync(Hang);
        var hostileOutcomes = await Task.WhenAll(stuck).WaitAsync(Hang);

        Assert.True(onTime.Succeeded, onTime.Detail);
        Assert.Equal("still on time", Assert.Single(await neighbour.TimelineOf("lee")).Subject);
        // The company ran only its share; everything beyond it was deferred (not failed, not counted) at once.
        Assert.InRange(blackhole.Connections, 1, 2);
        Assert.Equal(40 - blackhole.Connections, hostileOutcomes.Count(o => o.Deferral == SyncDeferral.Busy));
        Assert.All(hostileOutcomes.Where(o => !o.Deferred), o => Assert.Equal(MailboxErrorCode.ConnectionTimeout, o.Code));
    }

    [Fact]
    public async Task While_a_grain_is_stuck_on_a_trickling_server_its_status_answers_another_mailbox_syncs_and_a_disconnect_wins_over_the_pass()
    {
        await using var server = HostileImapServer.Trickling(TimeSpan.FromMilliseconds(500));
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["MailSync:AllowInsecureImap"] = "true",
            ["MailSync:ImapTimeout"] = "00:00:10", // Dovecot's logins must fit, on a busy test machine too
            ["MailSync:MaxPassDuration"] = "00:00:02",
        };
        await using var silo = new AzuriteSilo(settings);
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 2);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lee", "lee@lead.example", "Lee")]);
        var (user, password) = Dovecot.CreateUser("beside");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "Offer", DateTimeOffset.UtcNow.AddHours(-3)));
        var deadline = TimeSpan.FromSeconds(30);

        await company.Mailbox("stuck").Connect(At(server.Port, "stuck"));
        await Poll.UntilAsync(() => Task.FromResult(server.Connections), n => n >= 1, deadline, "the stuck mailbox reached the server");
        // Answers although the grain's pass is stuck (its deadline: 2 s of pass and 10 s of IMAP timeout).
        var status = await company.Status("stuck").WaitAsync(Prompt);
        await company.Mailbox(user).Connect(Dovecot.Credentials(user, password));
        var synced = await Poll.UntilAsync(() => company.Status(user), v => v.LastSyncAt is not null, deadline, "the other mailbox synced");
        // The disconnect wins over the pass still stuck: it cancels the pass and waits for it to end, so nothing of the
        // old credentials' pass (an outcome, a cursor, a timeline row) lands after it.
        await company.Mailbox("stuck").Disconnect(keepHistory: true).WaitAsync(Prompt);
        var errors = await company.Mailbox("stuck").GetErrors(10);

        Assert.Equal(MailboxStatus.Enabled, status.Status);
        Assert.Equal(MailboxStatus.Enabled, synced.Status);
        var after = await company.Status("stuck");
        Assert.Equal((MailboxStatus.NotConfigured, null), (after.Status, after.LastSyncAt));
        Assert.Empty(errors);
    }
}
