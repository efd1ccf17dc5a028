using System.Diagnostics;
using MailKit;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Timeline;
using MailSync.Testing;

namespace MailSync.Bench;

/// <summary>
/// Plants a 10,000-message INBOX and a Sent folder (30 % involving leads) in the test Dovecot, then measures:
/// (a) bare MailKit fetch of UID + ENVELOPE + INTERNALDATE, (b) our full initial sync with timeline writes to
/// Azurite, (c) b / a, (d) the median of 20 no-change incremental polls.
/// Steady state, as in a silo that has run for a while: both sides are warmed up the same way first, then (a) and (b)
/// alternate for several rounds, each initial sync for a company of its own whose entries are removed after its round
/// (so every round writes into a table of the same size). Medians, because one round on this shared 2-core machine
/// decides nothing; (c) is the median of each round's ratio, whose two halves ran seconds apart.
/// </summary>
public static class SyncBenchmark
{
    private const int InboxMessages = 10_000;
    private const int SentMessages = 2_000;
    private const int Leads = 200;
    private const double LeadShare = 0.3;
    internal const int WarmUps = 2;
    internal const int Rounds = 7;

    public static async Task RunAsync()
    {
        var (user, password) = Dovecot.CreateUser("bench");
        var me = Dovecot.Address(user);
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        string Someone() => SyncBenchmark.Someone(random);
        var plant = Stopwatch.StartNew();
        for (var i = 0; i < InboxMessages; i++)
            Dovecot.Plant(user, Mail.Message(Someone(), [me], $"Inbox message {i}", now.AddMinutes(-i * 2 - 10)));
        for (var i = 0; i < SentMessages; i++)
            Dovecot.Plant(user, Mail.Message(me, [Someone()], $"Sent message {i}", now.AddMinutes(-i * 7 - 10)), "Sent");
        Console.WriteLine($"planted {InboxMessages} + {SentMessages} messages in {plant.Elapsed.TotalSeconds:0.00} s");
        const int total = InboxMessages + SentMessages;
        var credentials = Dovecot.Credentials(user, password);

        var (bare, full, last) = await AlternateAsync(() => BareFetchAsync(user, password, total), user, credentials, total);
        var entries = await last.CountAllEntries();

        var polls = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var poll = Stopwatch.StartNew();
            var again = await last.SyncAsync(user, credentials);
            polls.Add(poll.Elapsed.TotalMilliseconds);
            if (!again.Succeeded || again.MessagesSynced != 0) throw new InvalidOperationException($"incremental poll: {again}");
        }

        var a = Measurement.Median(bare);
        var b = Measurement.Median(full);
        var ratios = bare.Zip(full, (x, y) => x.Wall / y.Wall).ToList();
        Console.WriteLine($"timeline entries written per initial sync: {entries}");
        Console.WriteLine($"rounds, wall ms (bare / full): {string.Join("  ", bare.Zip(full, (x, y) => $"{x.Wall.TotalMilliseconds:N0}/{y.Wall.TotalMilliseconds:N0}"))}");
        Console.WriteLine($"median bare round: {a.Usage}; Azurite {a.Azurite.TotalMilliseconds:N0} ms of the other processes'");
        Console.WriteLine($"median full round: {b.Usage}; Azurite {b.Azurite.TotalMilliseconds:N0} ms of the other processes'");
        Console.WriteLine($"(a) bare MailKit fetch (UID+ENVELOPE+INTERNALDATE): {total / a.Wall.TotalSeconds,10:N0} msg/s  ({total} msgs in {a.Wall.TotalMilliseconds:N0} ms, median of {Rounds})");
        Console.WriteLine($"(b) full initial sync incl. timeline writes:        {total / b.Wall.TotalSeconds,10:N0} msg/s  ({total} msgs in {b.Wall.TotalMilliseconds:N0} ms, median of {Rounds})   target >= 5,000");
        Console.WriteLine($"(c) b / a, median of the rounds' ratios:            {Median(ratios),10:0.00}  (rounds: {string.Join(" ", ratios.Select(r => r.ToString("0.00")))})   target >= 0.5");
        Console.WriteLine($"(d) no-change incremental poll, median of 20:       {Median(polls),10:0.0} ms  (min {polls.Min():0.0}, max {polls.Max():0.0})   target <= 20");
    }

    /// <summary>A correspondent: one of the leads 30 % of the time, else a stranger.</summary>
    internal static string Someone(Random random) =>
        random.NextDouble() < LeadShare ? $"lead{random.Next(Leads)}@lead.example" : $"person{random.Next(5000)}@elsewhere.example";

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// After <see cref="WarmUps"/> rounds, <see cref="Rounds"/> rounds of the bare fetch then our initial sync, each sync for a
    /// company of its own whose entries are removed after the next round (every round writes into a table of one size).
    /// </summary>
    internal static async Task<(List<Measurement> Bare, List<Measurement> Full, SyncHarness Last)> AlternateAsync(
        Func<Task> bareFetch, string user, MailboxCredentials credentials, int total)
    {
        var bare = new List<Measurement>();
        var full = new List<Measurement>();
        SyncHarness? last = null;
        var servers = new TestServerProcesses();
        for (var round = -WarmUps; round < Rounds; round++)
        {
            var bareRound = await Measurement.OfAsync(bareFetch, servers);
            var harness = NewHarness();
            var fullRound = await Measurement.OfAsync(() => InitialSyncAsync(harness, user, credentials, total), servers);
            if (last is not null) await last.Timeline.DeleteAllByUserAsync(last.CompanyId, user);
            last = harness;
            if (round < 0) continue; // warm-up
            bare.Add(bareRound);
            full.Add(fullRound);
        }
        return (bare, full, last!);
    }

    internal static SyncHarness NewHarness()
    {
        var harness = new SyncHarness();
        for (var i = 0; i < Leads; i++) harness.Leads.Add($"lead{i}", $"lead{i}@lead.example");
        return harness;
    }

    internal static async Task InitialSyncAsync(SyncHarness harness, string user, MailboxCredentials credentials, int expected)
    {
        var outcome = await harness.SyncAsync(user, credentials);
        if (!outcome.Succeeded || outcome.MessagesSynced != expected) throw new InvalidOperationException($"initial sync: {outcome}");
    }

    private static async Task BareFetchAsync(string user, string password, int expected)
    {
        using var client = await Dovecot.ConnectAsync(user, password);
        var count = 0;
        foreach (var folder in new[] { client.Inbox, client.GetFolder(SpecialFolder.Sent)! })
        {
            await folder.OpenAsync(FolderAccess.ReadOnly);
            count += (await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.InternalDate)).Count;
        }
        await client.DisconnectAsync(true);
        if (count != expected) throw new InvalidOperationException($"bare fetch saw {count} messages, expected {expected}");
    }
}
