using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Leads;

/// <summary>A lead made after the first emails with them gets those emails, both directions, from every folder.</summary>
[Trait("Category", "Servers")]
public sealed class LeadBackfillTests
{
    private static DateTimeOffset Recently => DateTimeOffset.UtcNow.AddDays(-2);

    [Fact]
    public async Task A_lead_added_after_an_exchange_gets_both_directions_on_its_timeline_within_two_minutes()
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["MailSync:LeadBackfillDelay"] = "00:00:01",
        };
        await using var silo = new AzuriteSilo(settings);
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        var (user, password) = Dovecot.CreateUser("backfill");
        Dovecot.Plant(user, Mail.Message("x3@lead.example", [Dovecot.Address(user)], "Question", Recently));
        Dovecot.Plant(user, Mail.Message(Dovecot.Address(user), ["X3@Lead.Example"], "Answer", Recently.AddHours(1)), "Sent");
        Dovecot.Plant(user, Mail.Message("x3@lead.example", [Dovecot.Address(user)], "Filed", Recently.AddHours(2)), "Archive");
        var mailbox = company.Mailbox(user);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 3, TimeSpan.FromSeconds(60), "first sync");

        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lead3", "x3@lead.example", null)]);
        var reader = silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id);
        var timeline = await Poll.UntilAsync(() => reader.GetPage("lead3", 10, null), p => p.Items.Count == 3, TimeSpan.FromMinutes(2), "backfill");
        var progress = await Poll.UntilAsync(silo.Grains.GetGrain<ILeadBackfillGrain>(company.Id).GetProgress,
            p => !p.Running && p.MailboxesDone == 1, TimeSpan.FromSeconds(30), "round finished");

        Assert.Equal(
            [("Filed", MessageDirection.Received), ("Answer", MessageDirection.Sent), ("Question", MessageDirection.Received)],
            timeline.Items.Select(e => (e.Subject, e.Direction)));
        Assert.Equal((1, 1L, 1, 0L), (progress.Round, progress.LeadsInRound, progress.Mailboxes, progress.LeadsWaiting));
        Assert.Equal(MailboxStatus.Enabled, (await mailbox.GetStatus()).Status);
    }

    [Fact]
    public async Task A_mailbox_that_cannot_reach_its_server_when_asked_still_backfills_after_its_silo_is_replaced()
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:AllowInsecureImap"] = "true", // the proxy that stands for the server speaks plain IMAP
            ["MailSync:LeadBackfillDelay"] = "00:00:01",
        };
        var port = FreePort.Next();
        var (user, password) = Dovecot.CreateUser("owed");
        Dovecot.Plant(user, Mail.Message("x4@lead.example", [Dovecot.Address(user)], "Question", Recently));
        var credentials = Dovecot.Credentials(user, password) with { Imap = new ImapEndpoint("127.0.0.1", port, ImapSecurity.None) };
        string companyId;
        await using (var first = new AzuriteSilo(settings))
        {
            await first.StartAsync();
            var company = new TestCompany(first.Grains);
            companyId = company.Id;
            await company.Grain.Upsert("Acme", 1);
            var mailbox = company.Mailbox(user);
            await using (new ImapCommandProxy(TestServices.Current.ImapPort, listenPort: port))
            {
                await mailbox.Connect(credentials);
                await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 1, TimeSpan.FromSeconds(60), "first sync");
            }
            // The server is gone when the round asks: the mailbox keeps the ask, and its pass fails.
            await first.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lead4", "x4@lead.example", null)]);
            await Poll.UntilAsync(first.Grains.GetGrain<ILeadBackfillGrain>(company.Id).GetProgress, p => p.Running && p.Mailboxes == 1,
                TimeSpan.FromSeconds(30), "the round asked the mailbox");
            await Poll.UntilAsync(mailbox.GetStatus, v => v.Status != MailboxStatus.Enabled, TimeSpan.FromSeconds(60), "pass failed");
        }

        await using var proxy = new ImapCommandProxy(TestServices.Current.ImapPort, listenPort: port);
        await using var second = new AzuriteSilo(settings);
        await second.StartAsync();
        await second.Grains.GetMailbox(companyId, user).SyncNow();

        var reader = second.Grains.GetGrain<ITimelineReaderGrain>(companyId);
        var timeline = await Poll.UntilAsync(() => reader.GetPage("lead4", 10, null), p => p.Items.Count == 1, TimeSpan.FromMinutes(1), "backfill");
        Assert.Equal("Question", timeline.Items[0].Subject);
    }

    [Fact]
    public async Task Five_thousand_new_leads_cost_a_mailbox_one_fetch_per_folder_and_nothing_older_than_the_window()
    {
        await using var proxy = new ImapCommandProxy(TestServices.Current.ImapPort);
        var harness = new SyncHarness(options => options.AllowInsecureImap = true);
        var (user, password) = Dovecot.CreateUser("bulk");
        var me = Dovecot.Address(user);
        for (var i = 0; i < 10; i++)
        {
            Dovecot.Plant(user, Mail.Message($"x{i}@lead.example", [me], $"Hello {i}", Recently));
            Dovecot.Plant(user, Mail.Message(me, [$"x{i}@lead.example"], $"Re: Hello {i}", Recently.AddHours(1)), "Sent");
        }
        Dovecot.Plant(user, Mail.Message("x0@lead.example", [me], "Too old", DateTimeOffset.UtcNow.AddDays(-90)));
        var credentials = Dovecot.Credentials(user, password) with { Imap = new ImapEndpoint("127.0.0.1", proxy.Port, ImapSecurity.None) };
        Assert.True((await harness.SyncAsync(user, credentials)).Succeeded);
        for (var i = 0; i < 5_000; i++) harness.Leads.Add($"lead{i}", $"x{i}@lead.example");
        proxy.TakeCommands();

        var backfill = await harness.SyncAsync(user, credentials, backfill: true);
        var commands = proxy.TakeCommands();

        Assert.True(backfill.BackfillComplete, backfill.Detail);
        // INBOX and Sent hold less than a fetch batch: each fetched whole, without a search first.
        Assert.Equal(0, commands.Count(c => c.Contains("SEARCH", StringComparison.Ordinal)));
        Assert.Equal(2, commands.Count(c => c.Contains("FETCH", StringComparison.Ordinal)));
        Assert.InRange(commands.Count, 3, 8); // the listing, INBOX and Sent each selected and fetched, a close
        for (var i = 0; i < 10; i++)
            Assert.Equal([MessageDirection.Sent, MessageDirection.Received], (await harness.TimelineOf($"lead{i}")).Select(e => e.Direction));
        Assert.Equal(20, await harness.CountAllEntries());
    }
}
