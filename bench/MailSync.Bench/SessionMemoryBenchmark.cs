using System.Diagnostics;
using MailKit;
using MailSync.Grains.Sync;
using MailSync.Shared.Configuration;
using MailSync.Testing;
using Microsoft.Extensions.Options;

namespace MailSync.Bench;

/// <summary>
/// What one kept IMAP session costs this process: <c>n</c> sessions to the test Dovecot opened as the pool keeps them
/// (implicit TLS, logged in, INBOX then Sent selected, as after a pass), held idle, and the memory before and after:
/// the live managed heap (GC.GetTotalMemory after a full collection), the GC's committed bytes and the process's RSS
/// (which adds OpenSSL's native buffers). Bounded by Dovecot's default process limit (100 per service: each TLS
/// session holds an imap-login and an imap process), so n stays below it.
/// </summary>
public static class SessionMemoryBenchmark
{
    public static async Task RunAsync(int sessions, bool idle)
    {
        var options = Options.Create(new MailSyncOptions
        {
            TrustedCertificateThumbprints = [Dovecot.CertificateThumbprint], AllowPrivateImapHosts = true, AllowAnyImapPort = true,
        });
        var factory = new ImapSessionFactory(options);
        var users = Enumerable.Range(0, sessions + 1).Select(_ => Dovecot.CreateUser("mem")).ToList();

        // Warm-up: code, TLS and the first-login work of Dovecot are paid before the measurement.
        (await OpenKeptAsync(factory, users[^1])).Dispose();
        var before = Snapshot.Take();
        var kept = new List<IDisposable>();
        using var stopIdle = new CancellationTokenSource();
        var idling = new List<Task>();
        foreach (var user in users.Take(sessions))
        {
            var client = await OpenKeptAsync(factory, user);
            kept.Add(client);
            if (idle)
            {
                await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
                idling.Add(client.IdleAsync(stopIdle.Token));
            }
        }
        var after = Snapshot.Take();
        GC.KeepAlive(kept);

        var per = (after - before) / sessions;
        Console.WriteLine($"kept sessions: {sessions} (implicit TLS, logged in, INBOX and Sent selected{(idle ? ", then INBOX in IDLE" : "")})");
        Console.WriteLine($"per kept session: managed live {per.Managed / 1024.0:0.0} KB, GC committed {per.Committed / 1024.0:0.0} KB, " +
            $"native allocated {per.NativeInUse / 1024.0:0.0} KB (malloc arenas {per.NativeArena / 1024.0:0.0} KB), RSS {per.Rss / 1024.0:0.0} KB");
        var trimTime = Stopwatch.StartNew();
        NativeHeap.Trim();
        trimTime.Stop();
        var trimmed = Snapshot.Take();
        Console.WriteLine($"after malloc_trim (as the silo's NativeHeapTrimmer runs it; took {trimTime.Elapsed.TotalMilliseconds:0.0} ms): " +
            $"RSS {(trimmed.Rss - before.Rss) / 1024.0 / sessions:0.0} KB per kept session");
        stopIdle.Cancel();
        foreach (var task in idling) await task.ContinueWith(_ => { }, TaskScheduler.Default);
        Console.WriteLine($"kept sessions within 64 KB per mailbox at 10,000 mailboxes, at ~13 KB per mailbox of our own: " +
            $"{Math.Max(0, (64 - 13) * 1024L * 10_000 / Math.Max(1, per.Rss)):N0} (RSS basis)");
        foreach (var session in kept) session.Dispose();
    }

    private static async Task<MailKit.Net.Imap.ImapClient> OpenKeptAsync(ImapSessionFactory factory, (string User, string Password) user)
    {
        var client = await factory.OpenAsync(Dovecot.Credentials(user.User, user.Password), new ImapLogin(user.User, user.Password, null), CancellationToken.None);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        await client.GetFolder(SpecialFolder.Sent)!.OpenAsync(FolderAccess.ReadOnly);
        return client;
    }

    private readonly record struct Snapshot(long Managed, long Committed, long Rss, long NativeInUse, long NativeArena)
    {
        public static Snapshot Take()
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }
            using var self = Process.GetCurrentProcess();
            var native = NativeHeap.Info();
            return new Snapshot(GC.GetTotalMemory(forceFullCollection: true), GC.GetGCMemoryInfo().TotalCommittedBytes, self.WorkingSet64,
                native.InUse, native.Arena);
        }

        public static Snapshot operator -(Snapshot a, Snapshot b) => new(a.Managed - b.Managed, a.Committed - b.Committed, a.Rss - b.Rss, a.NativeInUse - b.NativeInUse, a.NativeArena - b.NativeArena);

        public static Snapshot operator /(Snapshot a, int n) => new(a.Managed / n, a.Committed / n, a.Rss / n, a.NativeInUse / n, a.NativeArena / n);
    }
}
