using System.Diagnostics;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.Bench;

/// <summary>
/// Past emails for new leads: m mailboxes (100) of n messages each (2,000, over the last 20 days, half received, half
/// sent, in INBOX and Sent), with correspondents that become leads only afterwards. An in-process silo on the test
/// Azurite and Dovecot syncs them all first (no lead yet, so no entry); then l leads (10,000) are imported, 500 a call,
/// and the benchmark waits until every past email is on its lead's timeline. Prints that time, the backfill rounds, and
/// the IMAP commands per mailbox meanwhile (all mailboxes go through one counting relay, plain IMAP).
/// </summary>
public static class BackfillBenchmark
{
    private static readonly string CompanyId = $"backfill-{Guid.NewGuid():N}"[..24];

    public static async Task RunAsync(int mailboxes, int messages, int leads)
    {
        var tables = TestServices.Current.TablesConnectionString;
        await using var relay = new ImapCommandProxy(TestServices.Current.ImapPort);
        var plant = Stopwatch.StartNew();
        var users = Enumerable.Range(0, mailboxes).Select(_ => Dovecot.CreateUser("bf")).ToList();
        var since = DateTimeOffset.UtcNow.AddDays(-20);
        for (var m = 0; m < mailboxes; m++)
        {
            var me = Dovecot.Address(users[m].User);
            for (var i = 0; i < messages; i++)
            {
                var lead = Address((m * messages + i) % leads);
                var date = since.AddMinutes(i * 20.0 * 24 * 60 / messages);
                if (i % 2 == 0) Dovecot.Plant(users[m].User, Mail.Message(lead, [me], $"Question {i}", date));
                else Dovecot.Plant(users[m].User, Mail.Message(me, [lead], $"Answer {i}", date), "Sent");
            }
        }
        Console.WriteLine($"planted {mailboxes} mailboxes of {messages:N0} messages in {plant.Elapsed.TotalSeconds:0} s");

        var settings = new Dictionary<string, string?>
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint, ["MailSync:AllowPrivateImapHosts"] = "true",
            ["MailSync:AllowAnyImapPort"] = "true", ["MailSync:AllowInsecureImap"] = "true",
            // A cluster of its own: the test Azurite keeps the membership rows of earlier runs.
            ["Orleans:ServiceId"] = $"backfill-{Guid.NewGuid():N}", ["Orleans:ClusterId"] = $"backfill-{Guid.NewGuid():N}",
        };
        using var host = await TenantBenchmark.StartSiloAsync(tables, _ => { }, settings);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<ICompanyGrain>(CompanyId).Upsert("Backfill", mailboxes);
        var first = Stopwatch.StartNew();
        foreach (var (user, password) in users)
        {
            await grains.GetGrain<ICompanyDirectoryGrain>(CompanyId).UpsertUser(new CompanyUser(user, Dovecot.Address(user), "Salesperson"));
            await grains.GetMailbox(CompanyId, user).Connect(
                Dovecot.Credentials(user, password) with { Imap = new ImapEndpoint("127.0.0.1", relay.Port, ImapSecurity.None) });
        }
        var reported = Stopwatch.StartNew();
        await Poll.UntilAsync(async () =>
        {
            var views = await Task.WhenAll(users.Select(u => grains.GetMailbox(CompanyId, u.User).GetStatus()));
            if (reported.Elapsed > TimeSpan.FromSeconds(30))
            {
                reported.Restart();
                Console.WriteLine($"  {first.Elapsed.TotalSeconds:0} s: " + string.Join(", ", views.CountBy(v => v.Status).Select(c => $"{c.Key} {c.Value}")) +
                    $"; {views.Sum(v => v.MessagesSynced):N0} messages synced; " +
                    string.Join("; ", views.Where(v => v.LastError is not null).Select(v => v.LastError!.Code).Distinct()));
            }
            return views.Count(v => v.MessagesSynced >= messages);
        }, done => done == mailboxes, TimeSpan.FromMinutes(30), "first syncs");
        Console.WriteLine($"first syncs of {mailboxes} mailboxes in {first.Elapsed.TotalSeconds:0} s; entries: {await SyncHarness.CountEntriesOf(CompanyId)}");
        relay.TakeCommands();

        var clock = Stopwatch.StartNew();
        var directory = grains.GetGrain<ILeadDirectoryGrain>(CompanyId);
        foreach (var batch in Enumerable.Range(0, leads).Chunk(500))
            await directory.Upsert([.. batch.Select(i => new Lead($"lead-{i}", Address(i), null))]);
        var imported = clock.Elapsed.TotalSeconds;
        var expected = mailboxes * messages;
        // Done when the rounds are: a mailbox answers once its entries are written. Counting rows instead would have Azurite
        // scan the whole timeline table again and again, slowing the very writes being timed; they are counted once at the end.
        var backfill = grains.GetGrain<ILeadBackfillGrain>(CompanyId);
        reported.Restart();
        while (await backfill.GetProgress() is var p && (p.Running || p.LeadsWaiting > 0 || p.Round == 0) && clock.Elapsed < TimeSpan.FromMinutes(20))
        {
            if (reported.Elapsed >= TimeSpan.FromSeconds(10))
            {
                Console.WriteLine(
                    $"  {clock.Elapsed.TotalSeconds:0} s: round {p.Round}, {p.MailboxesDone} of {p.Mailboxes} mailboxes done, {p.LeadsWaiting} leads waiting");
                reported.Restart();
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var all = clock.Elapsed.TotalSeconds;
        var stored = await SyncHarness.CountEntriesOf(CompanyId);
        var commands = relay.TakeCommands();
        var progress = await backfill.GetProgress();
        Console.WriteLine($"backfill: {leads:N0} leads imported in {imported:0.0} s; {stored:N0} of {expected:N0} past emails on their " +
            $"timelines {all:0.0} s after the import began (target: all within 120 s); {progress.Round} rounds");
        Console.WriteLine($"IMAP commands per mailbox meanwhile: {commands.Count / (double)mailboxes:0.0} (" +
            string.Join(", ", commands.CountBy(c => c).OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value / (double)mailboxes:0.0}")) +
            "), polls included");
    }

    private static string Address(int lead) => $"lead{lead}@backfill.example";
}
