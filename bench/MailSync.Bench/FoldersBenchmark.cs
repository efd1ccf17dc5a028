using System.Diagnostics;
using MailKit;
using MailSync.Testing;

namespace MailSync.Bench;

/// <summary>
/// One mailbox of 50 folders × 200 messages (30 % involving leads) in the test Dovecot: (a) bare MailKit listing the folders
/// and fetching every message's UID + ENVELOPE + INTERNALDATE, (b) our full first sync of every folder with timeline writes
/// to Azurite, (c) b / a, median of the rounds' ratios, and (d) the no-change poll (one LIST with STATUS on this server),
/// median and p99 of 200. Rounds alternate (a) and (b) after warm-ups, as <see cref="SyncBenchmark"/> does.
/// </summary>
public static class FoldersBenchmark
{
    private const int Folders = 50;
    private const int PerFolder = 200;
    private const int Polls = 200;

    public static async Task RunAsync()
    {
        var (user, password) = Dovecot.CreateUser("folders", withSentFolder: false);
        var me = Dovecot.Address(user);
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        var plant = Stopwatch.StartNew();
        for (var f = 0; f < Folders; f++)
        {
            string? folder = f == 0 ? null : $"Clients/Customer {f:00}";
            for (var i = 0; i < PerFolder; i++)
                Dovecot.Plant(user, Mail.Message(SyncBenchmark.Someone(random), [me], $"Message {f}/{i}", now.AddMinutes(-i * 30 - f - 10)), folder);
        }
        Console.WriteLine($"planted {Folders} folders × {PerFolder} messages in {plant.Elapsed.TotalSeconds:0.00} s");
        const int total = Folders * PerFolder;
        var credentials = Dovecot.Credentials(user, password);

        var (bare, full, last) = await SyncBenchmark.AlternateAsync(() => BareFetchAsync(user, password, total), user, credentials, total);

        var polls = new List<double>();
        for (var i = 0; i < Polls; i++)
        {
            var poll = Stopwatch.StartNew();
            var again = await last.SyncAsync(user, credentials);
            polls.Add(poll.Elapsed.TotalMilliseconds);
            if (!again.Succeeded || again.MessagesSynced != 0) throw new InvalidOperationException($"no-change poll: {again}");
        }
        polls.Sort();

        var a = Measurement.Median(bare);
        var b = Measurement.Median(full);
        var ratios = bare.Zip(full, (x, y) => x.Wall / y.Wall).ToList();
        Console.WriteLine($"folders synced: {last.Cursors.Count}; timeline entries written: {await last.CountAllEntries()}");
        Console.WriteLine($"rounds, wall ms (bare / full): {string.Join("  ", bare.Zip(full, (x, y) => $"{x.Wall.TotalMilliseconds:N0}/{y.Wall.TotalMilliseconds:N0}"))}");
        Console.WriteLine($"median bare round: {a.Usage}; Azurite {a.Azurite.TotalMilliseconds:N0} ms of the other processes'");
        Console.WriteLine($"median full round: {b.Usage}; Azurite {b.Azurite.TotalMilliseconds:N0} ms of the other processes'");
        Console.WriteLine($"(a) bare MailKit, {Folders} folders (UID+ENVELOPE+INTERNALDATE): {total / a.Wall.TotalSeconds,8:N0} msg/s  ({a.Wall.TotalMilliseconds:N0} ms)");
        Console.WriteLine($"(b) full first sync of every folder:                 {total / b.Wall.TotalSeconds,8:N0} msg/s  ({b.Wall.TotalMilliseconds:N0} ms)");
        Console.WriteLine($"(c) b / a, median of the rounds' ratios:             {SyncBenchmark.Median(ratios),8:0.00}  (rounds: {string.Join(" ", ratios.Select(r => r.ToString("0.00")))})   goal >= 0.5");
        Console.WriteLine($"(d) no-change poll of {Folders} folders, {Polls} polls:        p50 {Quantiles.At(polls, 0.5):0.0} ms, p99 {Quantiles.At(polls, 0.99):0.0} ms, max {polls[^1]:0.0} ms   goal p50 <= 30");
    }

    private static async Task BareFetchAsync(string user, string password, int expected)
    {
        using var client = await Dovecot.ConnectAsync(user, password);
        var count = 0;
        foreach (var folder in await client.GetFoldersAsync(client.PersonalNamespaces[0]))
        {
            if (folder.Attributes.HasFlag(FolderAttributes.NoSelect) || folder.Attributes.HasFlag(FolderAttributes.NonExistent)) continue;
            await folder.OpenAsync(FolderAccess.ReadOnly);
            if (folder.Count == 0) continue;
            count += (await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.InternalDate)).Count;
        }
        await client.DisconnectAsync(true);
        if (count != expected) throw new InvalidOperationException($"bare fetch saw {count} messages, expected {expected}");
    }
}
