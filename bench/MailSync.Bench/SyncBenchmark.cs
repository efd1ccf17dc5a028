using System.Diagnostics;
using MailKit;
using MailSync.Tests.Infrastructure;

namespace MailSync.Bench;

/// <summary>
/// Plants a 10,000-message INBOX and a Sent folder (30 % involving leads) in the test Dovecot, then measures:
/// (a) bare MailKit fetch of UID + ENVELOPE + INTERNALDATE, (b) our full initial sync with timeline writes to
/// Azurite, (c) b / a, (d) the median of 20 no-change incremental polls.
/// </summary>
public static class SyncBenchmark
{
    private const int InboxMessages = 10_000;
    private const int SentMessages = 2_000;
    private const int Leads = 200;
    private const double LeadShare = 0.3;

    public static async Task RunAsync()
    {
        var (user, password) = Dovecot.CreateUser("bench");
        var me = Dovecot.Address(user);
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        string Someone() => random.NextDouble() < LeadShare ? $"lead{random.Next(Leads)}@lead.example" : $"person{random.Next(5000)}@elsewhere.example";
        var plant = Stopwatch.StartNew();
        for (var i = 0; i < InboxMessages; i++)
            Dovecot.Plant(user, Mail.Message(Someone(), [me], $"Inbox message {i}", now.AddMinutes(-i * 2 - 10)));
        for (var i = 0; i < SentMessages; i++)
            Dovecot.Plant(user, Mail.Message(me, [Someone()], $"Sent message {i}", now.AddMinutes(-i * 7 - 10)), "Sent");
        Console.WriteLine($"planted {InboxMessages} + {SentMessages} messages in {plant.Elapsed.TotalSeconds:0.00} s");
        var total = InboxMessages + SentMessages;

        // Warm up Dovecot's index and both code paths on a throw-away pass, so neither side pays first-run costs.
        await BareFetchAsync(user, password);

        var bare = Stopwatch.StartNew();
        var fetched = await BareFetchAsync(user, password);
        bare.Stop();
        if (fetched != total) throw new InvalidOperationException($"bare fetch saw {fetched} messages, expected {total}");

        var harness = new SyncHarness();
        for (var i = 0; i < Leads; i++) harness.Leads.Add($"lead{i}", $"lead{i}@lead.example");
        var credentials = Dovecot.Credentials(user, password);
        // The same warm-up for our side: a pass over an empty mailbox creates the timeline table once per process.
        var (warmUser, warmPassword) = Dovecot.CreateUser("benchwarm");
        await harness.SyncAsync(warmUser, Dovecot.Credentials(warmUser, warmPassword));
        var full = Stopwatch.StartNew();
        var outcome = await harness.SyncAsync(user, credentials);
        full.Stop();
        if (!outcome.Succeeded || outcome.MessagesSynced != total)
            throw new InvalidOperationException($"initial sync: {outcome}");

        var polls = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var poll = Stopwatch.StartNew();
            var again = await harness.SyncAsync(user, credentials);
            polls.Add(poll.Elapsed.TotalMilliseconds);
            if (!again.Succeeded || again.MessagesSynced != 0) throw new InvalidOperationException($"incremental poll: {again}");
        }
        polls.Sort();

        var bareRate = total / bare.Elapsed.TotalSeconds;
        var fullRate = total / full.Elapsed.TotalSeconds;
        Console.WriteLine($"timeline entries written: {await harness.CountAllEntries()}");
        Console.WriteLine($"(a) bare MailKit fetch (UID+ENVELOPE+INTERNALDATE): {bareRate,10:N0} msg/s  ({total} msgs in {bare.Elapsed.TotalMilliseconds:N0} ms)");
        Console.WriteLine($"(b) full initial sync incl. timeline writes:        {fullRate,10:N0} msg/s  ({total} msgs in {full.Elapsed.TotalMilliseconds:N0} ms)   target >= 5,000");
        Console.WriteLine($"(c) b / a:                                          {fullRate / bareRate,10:0.00}                                            target >= 0.5");
        Console.WriteLine($"(d) no-change incremental poll, median of 20:       {(polls[9] + polls[10]) / 2,10:0.0} ms  (min {polls[0]:0.0}, max {polls[^1]:0.0})   target <= 20");
    }

    private static async Task<int> BareFetchAsync(string user, string password)
    {
        using var client = await Dovecot.ConnectAsync(user, password);
        var count = 0;
        foreach (var folder in new[] { client.Inbox, client.GetFolder(SpecialFolder.Sent)! })
        {
            await folder.OpenAsync(FolderAccess.ReadOnly);
            count += (await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.InternalDate)).Count;
        }
        await client.DisconnectAsync(true);
        return count;
    }
}
