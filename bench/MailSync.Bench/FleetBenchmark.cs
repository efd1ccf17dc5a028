using System.Diagnostics;
using System.Globalization;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Testing;

namespace MailSync.Bench;

/// <summary>
/// One silo with many mailboxes: the API co-hosting the silo as its own process (Production settings, Azurite, TLS),
/// <c>n</c> mailboxes on the test Dovecot polling every minute with the product's session budgets. Onboards them through
/// grain calls (bounded concurrency, stopped if the first syncs fall too far behind), lets them settle for a poll
/// interval, then measures a steady-state window from the API's /metrics and /proc: managed heap and RSS per mailbox,
/// polls due vs done, poll lag, logins per poll, CPU of this silo, Dovecot and Azurite, grain-call timeouts and lost
/// reminder ticks in the silo's log, and delivery-to-timeline for mailboxes whose session watches INBOX (IDLE).
/// </summary>
public static class FleetBenchmark
{
    private const string SigningKey = "benchmark-signing-key-0123456789-abcdefghij";
    private const string MetricsKey = "fleet-benchmark-metrics-key-0123456789abcdef";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

    public static async Task RunAsync(int mailboxes, TimeSpan window, TimeSpan onboardingLimit)
    {
        var log = new LogCounts();
        await using var cluster = new SiloProcesses(new Dictionary<string, string>());
        var httpPort = FreePort.Next();
        var environment = cluster.HostEnvironment("api");
        environment["MailSync__PollInterval"] = PollInterval.ToString();
        environment["MailSync__AllowPrivateImapHosts"] = "true";
        environment["MailSync__AllowAnyImapPort"] = "true";
        environment["MailSync__TrustedCertificateThumbprints__0"] = Dovecot.CertificateThumbprint;
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Auth__SigningKey"] = SigningKey;
        foreach (var (key, value) in ApiLoadBenchmark.NoRateLimits) environment[key] = value;
        environment["Metrics__Key"] = MetricsKey;
        environment["Metrics__AdditionalMeters__0"] = "System.Runtime";
        environment["Metrics__AdditionalMeters__1"] = "System.Net.Http"; // the silo's requests to Azurite, by method and status
        var overrides = Overrides();
        foreach (var (name, value) in overrides) environment[name] = value;
        var api = await cluster.StartHostAsync("api", HostProcess.Start(HostProcess.Dll("Api", "MailSync.Api.dll"),
            HostProcess.ApiEnvironment("Development", environment, httpPort)), log.Add);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Metrics-Key", MetricsKey);
        var processes = new Processes(api.ProcessId);
        // The host's own footprint before any mailbox: what the per-mailbox figures are net of.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var empty = await Metrics.ReadAsync(http);
        var emptyRss = ProcFs.Rss(api.ProcessId);

        var companyId = $"fleet-{Guid.NewGuid():N}"[..20];
        var created = Stopwatch.StartNew();
        var users = Enumerable.Range(0, mailboxes).Select(i => Dovecot.CreateUser($"f{i}")).ToList();
        Console.WriteLine($"{mailboxes} Dovecot users in {created.Elapsed.TotalSeconds:F1} s");
        const string lead = "lead@lead.example";
        await cluster.Grains.GetGrain<ICompanyGrain>(companyId).Upsert("Fleet", mailboxes);
        await cluster.Grains.GetGrain<ILeadDirectoryGrain>(companyId).Upsert([new Lead("lead-0", lead, null)]);

        // Onboarding in waves; a wave waits until the first syncs are within a wave of the connects, and onboarding stops
        // (measuring what it reached) when that takes past the limit: the machine is saturated.
        var onboarding = Stopwatch.StartNew();
        var connected = 0;
        var unsynced = new HashSet<int>();
        const int Wave = 500;
        while (connected < mailboxes && onboarding.Elapsed < onboardingLimit)
        {
            var wave = Enumerable.Range(connected, Math.Min(Wave, mailboxes - connected)).ToList();
            var timedOut = 0;
            var connects = new System.Collections.Concurrent.ConcurrentBag<double>();
            await Parallel.ForEachAsync(wave, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                try
                {
                    var connect = Stopwatch.StartNew();
                    await cluster.Grains.GetMailbox(companyId, $"user-{i}").Connect(Dovecot.Credentials(users[i].User, users[i].Password));
                    connects.Add(connect.Elapsed.TotalSeconds);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException or OrleansException)
                {
                    // The call runs on in the silo; the mailbox counts as connected once it has synced.
                    Interlocked.Increment(ref timedOut);
                }
            });
            connected += wave.Count;
            unsynced.UnionWith(wave);
            var took = connects.Order().ToList();
            var connectTimes = took.Count == 0 ? "no connect answered"
                : $"this wave's connects took p50 {Quantiles.At(took, 0.5):F2} s, p99 {Quantiles.At(took, 0.99):F2} s, max {took[^1]:F2} s";
            if (timedOut > 0)
            {
                Console.WriteLine($"  {onboarding.Elapsed.TotalSeconds:F0} s: {timedOut} connects of this wave timed out or were cancelled ({connectTimes}): saturated, onboarding stops");
                break;
            }
            while (unsynced.Count > Wave && onboarding.Elapsed < onboardingLimit)
            {
                await Task.Delay(2000);
                await DropSyncedAsync(cluster, companyId, unsynced);
            }
            Console.WriteLine($"  {onboarding.Elapsed.TotalSeconds:F0} s: {connected} connected, {connected - unsynced.Count} synced once; {connectTimes}");
        }
        while (unsynced.Count > 0 && onboarding.Elapsed < onboardingLimit + PollInterval)
        {
            await Task.Delay(2000);
            await DropSyncedAsync(cluster, companyId, unsynced);
        }
        var saturated = connected < mailboxes || unsynced.Count > 0;
        Console.WriteLine($"onboarding: {connected} of {mailboxes} connected, {connected - unsynced.Count} synced once in {onboarding.Elapsed.TotalMinutes:F1} min"
            + (saturated ? $" (stopped at the {onboardingLimit.TotalMinutes:F0}-minute limit: saturated)" : ""));

        // Settle: every mailbox polls once more on its own schedule, so kept sessions and watches are in place.
        Console.WriteLine($"settling for {PollInterval.TotalSeconds + 30:F0} s");
        await Task.Delay(PollInterval + TimeSpan.FromSeconds(30));

        // Whether a slow stretch is ours or the storage emulator's: each is asked every half second until the end.
        await using var ourProbe = StallProbe.Http($"http://127.0.0.1:{httpPort}/health/live");
        // Without credentials Azurite refuses at once, unless its event loop is busy.
        await using var azuriteProbe = StallProbe.Http(new Azure.Data.Tables.TableServiceClient(TestServices.Current.TablesConnectionString).Uri.ToString());
        var (probeUser, probePassword) = Dovecot.CreateUser("probe");
        var imap = await Dovecot.ConnectAsync(probeUser, probePassword);
        await using var dovecotProbe = StallProbe.Of(imap.NoOpAsync, imap);
        var before = await Metrics.ReadAsync(http);
        var cpuBefore = processes.Cpu();
        var logBefore = log.Snapshot();
        var measured = Stopwatch.StartNew();
        var rssSamples = new List<long>();
        while (measured.Elapsed < window)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            rssSamples.Add(ProcFs.Rss(api.ProcessId));
        }
        var after = await Metrics.ReadAsync(http);
        var cpuAfter = processes.Cpu();
        var logAfter = log.Snapshot();
        var minutes = measured.Elapsed.TotalMinutes;

        var attempts = after.SumSince(before, "mailsync_sync_attempts_total");
        var deferrals = after.SumSince(before, "mailsync_sync_deferrals_total");
        var logins = after.SumSince(before, "mailsync_imap_logins_total");
        var lag = after.Since(before, "mailsync_sync_lag_seconds_bucket");
        var heap = after.Sum("dotnet_gc_last_collection_heap_size_bytes");
        var rss = rssSamples.Max();
        var rssMedian = SyncBenchmark.Median([.. rssSamples.Select(r => (double)r)]);
        var synced = connected - unsynced.Count;
        Console.WriteLine();
        Console.WriteLine($"fleet: {synced} mailboxes on one silo (the API co-hosted, Production), poll {PollInterval.TotalMinutes:F0} min, "
            + $"window {minutes:F1} min after {PollInterval.TotalSeconds + 30:F0} s of settling"
            + string.Concat(overrides.Select(o => $"; {o.Key}={o.Value}")));
        var emptyHeap = empty.Sum("dotnet_gc_last_collection_heap_size_bytes");
        Console.WriteLine($"memory: managed heap after last GC {heap / 1e6:F0} MB ({heap / 1024.0 / synced:F1} KB/mailbox; "
            + $"{(heap - emptyHeap) / 1024.0 / synced:F1} KB/mailbox above the {emptyHeap / 1e6:F0} MB of the host without mailboxes), "
            + $"RSS max {rss / 1e6:F0} MB ({rss / 1024.0 / synced:F1} KB/mailbox; {(rss - emptyRss) / 1024.0 / synced:F1} KB/mailbox above "
            + $"the {emptyRss / 1e6:F0} MB without mailboxes; target ≤ 128 KB); over the window (every 10 s) RSS min "
            + $"{rssSamples.Min() / 1024.0 / synced:F1}, median {rssMedian / 1024.0 / synced:F1} KB/mailbox");
        var committed = after.Sum("dotnet_gc_last_collection_memory_committed_size_bytes");
        Console.WriteLine($"  of the RSS: GC committed {committed / 1e6:F0} MB ({committed / 1024.0 / synced:F1} KB/mailbox), the rest (native: OpenSSL, "
            + $"runtime, code) {(rss - committed) / 1e6:F0} MB ({(rss - committed) / 1024.0 / synced:F1} KB/mailbox); GC: "
            + $"the API's runtimeconfig ({RuntimeConfigGc()}){GcSettings()}");
        Console.WriteLine($"polls per minute: due {synced / PollInterval.TotalMinutes:F0}, done {attempts / minutes:F0}, deferred {deferrals / minutes:F0}");
        Console.WriteLine($"poll lag: p50 {lag.Quantile(0.5)}, p99 {lag.Quantile(0.99)} (target p99 ≤ 5 s), of {lag.Count:F0} attempts");
        var duration = after.Since(before, "mailsync_sync_duration_seconds_bucket");
        Console.WriteLine($"pass duration (waiting for a slot included): p50 {duration.Quantile(0.5)}, p90 {duration.Quantile(0.9)}, p99 {duration.Quantile(0.99)}; "
            + $"{duration.Above(1):F0} over 1 s, {duration.Above(5):F0} over 5 s of {duration.Count:F0}");
        var waited = after.Since(before, "mailsync_sync_wait_seconds_bucket");
        Console.WriteLine($"  of which waiting for a share (company, host) and a pass slot: p50 {waited.Quantile(0.5)}, p90 {waited.Quantile(0.9)}, "
            + $"p99 {waited.Quantile(0.99)}; {waited.Above(1):F0} over 1 s of {waited.Count:F0}");
        Console.WriteLine($"logins per poll: {(attempts > 0 ? logins / attempts : double.NaN):F3} ({logins:F0} logins; target ≤ 0.05)");
        Console.WriteLine($"  requests to storage: {StorageRequests(before, after, TimeSpan.FromMinutes(minutes))}");
        var cpu = cpuAfter - cpuBefore;
        Console.WriteLine($"CPU (of one core): ours {Percent(cpu.Ours, measured.Elapsed)}, Dovecot {Percent(cpu.Dovecot, measured.Elapsed)}, "
            + $"Azurite {Percent(cpu.Azurite, measured.Elapsed)}");
        Console.WriteLine($"silo log in the window: {logAfter.Timeouts - logBefore.Timeouts} grain-call timeouts (\"Response did not arrive on time\"), "
            + $"{logAfter.TimeoutMentions - logBefore.TimeoutMentions} other lines naming TimeoutException, {logAfter.LostTicks - logBefore.LostTicks} lost reminder ticks; "
            + $"whole run: {logAfter.Timeouts}, {logAfter.TimeoutMentions}, {logAfter.LostTicks}; {logAfter.Warnings} warnings, {logAfter.Errors} errors (targets 0)");

        var (imapProcesses, imapRss) = Processes.ImapProcesses();
        Console.WriteLine($"Dovecot: {imapProcesses} imap processes (up to 50 sessions each), {imapRss / 1e6:F0} MB RSS together (shared pages counted in each)");

        Console.WriteLine($"IDLE delivery starts {ourProbe.Elapsed.TotalSeconds:F0} s after the window began");
        await IdleDeliveryAsync(cluster, http, companyId, users, connected, lead);
        var end = await Metrics.ReadAsync(http);
        Console.WriteLine($"stalls (asked every 0.5 s from the window's start): the silo's /health/live {ourProbe.Summary()}; "
            + $"Azurite {azuriteProbe.Summary()}; Dovecot (NOOP over TLS) {dovecotProbe.Summary()}");
        Console.WriteLine($"  GC pauses of the silo meanwhile: {end.SumSince(before, "dotnet_gc_pause_time_seconds_total"):F1} s in "
            + $"{end.SumSince(before, "dotnet_gc_collections_total"):F0} collections; Azurite RSS {processes.AzuriteRss() / 1e6:F0} MB");
        foreach (var (category, count) in log.TopCategories()) Console.WriteLine($"  log: {count} × {category}");
    }

    /// <summary>
    /// GC and glibc malloc settings given in the environment (DOTNET_gcServer=0, DOTNET_gcConcurrent=0, MALLOC_ARENA_MAX=2,
    /// ...), which the silo inherits.
    /// </summary>
    private static string GcSettings()
    {
        var set = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MALLOC_", StringComparison.Ordinal))
            .Order()
            .Select(k => $"{k}={System.Environment.GetEnvironmentVariable(k)}").ToList();
        return set.Count == 0 ? "" : $" with {string.Join(", ", set)}";
    }

    /// <summary>The GC the silo's build asks for (System.GC.Server in its runtimeconfig; workstation when absent).</summary>
    private static string RuntimeConfigGc()
    {
        var config = Path.ChangeExtension(HostProcess.Dll("Api", "MailSync.Api.dll"), ".runtimeconfig.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(config));
        var server = json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty("System.GC.Server", out var value) && value.GetBoolean();
        return server ? "server" : "workstation";
    }

    /// <summary>
    /// Mail planted for 50 mailboxes picked at random: every kept session watches, so each is in IDLE but for the few
    /// milliseconds of its poll (mail announced during a poll starts a pass at once); the pushed passes are counted.
    /// Delivery-to-timeline p50/p90/max.
    /// </summary>
    private static async Task IdleDeliveryAsync(
        SiloProcesses cluster, HttpClient http, string companyId, List<(string User, string Password)> users, int connected, string lead)
    {
        var sample = Enumerable.Range(0, connected).OrderBy(_ => Random.Shared.Next()).Take(50).ToList();
        Console.WriteLine($"IDLE: delivering to {sample.Count} mailboxes picked at random");
        var before = await Metrics.ReadAsync(http);
        // Arrival is watched through the mailboxes' own counts (grain calls answered from memory): reading the timeline
        // every 0.2 s made Azurite scan the whole timeline table each time (the emulator filters every query by a full
        // scan) and slowed the very writes being timed.
        var mailboxes = sample.ToDictionary(i => i, i => cluster.Grains.GetMailbox(companyId, $"user-{i}"));
        var synced = new Dictionary<int, long>();
        foreach (var (i, mailbox) in mailboxes) synced[i] = (await mailbox.GetStatus()).MessagesSynced;
        var reads = new List<double>();
        var planted = Stopwatch.StartNew();
        var plantedAt = new Dictionary<string, DateTimeOffset>();
        foreach (var i in sample)
        {
            Dovecot.Plant(users[i].User, Mail.Message(lead, [Dovecot.Address(users[i].User)], $"idle {i}", DateTimeOffset.UtcNow));
            plantedAt[$"idle {i}"] = DateTimeOffset.UtcNow;
        }
        var arrived = new System.Collections.Concurrent.ConcurrentDictionary<int, double>();
        while (arrived.Count < sample.Count && planted.Elapsed < TimeSpan.FromSeconds(150))
        {
            var read = Stopwatch.StartNew();
            await Task.WhenAll(sample.Where(i => !arrived.ContainsKey(i)).Select(async i =>
            {
                try
                {
                    if ((await mailboxes[i].GetStatus()).MessagesSynced > synced[i]) arrived.TryAdd(i, planted.Elapsed.TotalSeconds);
                }
                catch (TimeoutException)
                {
                    // a saturated silo: asked again next round
                }
            }));
            reads.Add(read.Elapsed.TotalSeconds);
            await Task.Delay(200);
        }
        var times = arrived.Values.Order().ToList();
        Console.WriteLine(times.Count == 0 ? "IDLE delivery: nothing arrived within 150 s" :
            $"IDLE delivery-to-synced (the mailbox counts the message, after its timeline write): p50 {Quantiles.At(times, 0.5):F1} s, p90 {Quantiles.At(times, 0.9):F1} s, "
            + $"max {times[^1]:F1} s, {times.Count(t => t <= 3)} of {sample.Count} within 3 s"
            + (times.Count < sample.Count ? $", {sample.Count - times.Count} missing after 150 s" : "") + " (target p50 ≤ 3 s)");
        // The same deliveries timed by storage itself: a row's Timestamp is when it was written, so a timeline read held up
        // by a busy Azurite does not count.
        var stored = await StoredArrivals.SecondsAsync(companyId, plantedAt, "lead-0");
        if (stored.Count > 0)
            Console.WriteLine($"  stored on the timeline (the row's storage Timestamp − planted): p50 {Quantiles.At(stored, 0.5):F1} s, "
                + $"p90 {Quantiles.At(stored, 0.9):F1} s, max {stored[^1]:F1} s, {stored.Count(t => t <= 3)} of {sample.Count} within 3 s");
        // The hops: what the silo measured from an IDLE watch's announcement to the end of the pass, and the bench's own reads.
        var after = await Metrics.ReadAsync(http);
        var pushed = after.Since(before, "mailsync_sync_push_delay_seconds_bucket");
        var started = after.Since(before, "mailsync_sync_push_start_seconds_bucket");
        reads.Sort();
        Console.WriteLine($"  of which announced-to-synced in the silo: p50 {pushed.Quantile(0.5)}, p90 {pushed.Quantile(0.9)} ({pushed.Count:F0} passes; "
            + $"announced-to-pass-start p50 {started.Quantile(0.5)}, p90 {started.Quantile(0.9)}); "
            + (reads.Count == 0 ? "no status read answered" : $"status reads every 0.2 s took p50 {Quantiles.At(reads, 0.5):F2} s, max {reads.Max():F2} s"));
        // Where the pushed passes spent their time, step by step (a pass opens and searches INBOX and Sent).
        const string step = "mailsync_sync_step_seconds_bucket";
        foreach (var (trigger, whose) in new[] { ("push", "the pushed passes"), ("poll", "the polls meanwhile") })
        {
            var steps = new[] { "session", "open", "search", "fetch", "leads", "never-log", "timeline", "commit" }.Select(name =>
            {
                var h = after.Since(before, step, $"step=\"{name}\"", $"trigger=\"{trigger}\"");
                return $"{name} {h.Count:F0}× p50 {h.Quantile(0.5)}, p90 {h.Quantile(0.9)}, max {h.Quantile(1)}, {h.Above(1):F0} over 1 s";
            });
            Console.WriteLine($"  steps of {whose}: {string.Join("; ", steps)}");
        }
        var passes = after.Since(before, "mailsync_sync_duration_seconds_bucket");
        var held = after.Since(before, "mailsync_sync_hold_seconds_bucket");
        Console.WriteLine($"  passes meanwhile (waiting included): p50 {passes.Quantile(0.5)}, p90 {passes.Quantile(0.9)}, {passes.Above(1):F0} of {passes.Count:F0} over 1 s; "
            + $"share held p50 {held.Quantile(0.5)}, p90 {held.Quantile(0.9)}, p99 {held.Quantile(0.99)}, {held.Above(1):F0} of {held.Count:F0} over 1 s");
        var waited = after.Since(before, "mailsync_sync_wait_seconds_bucket");
        Console.WriteLine($"  meanwhile, of all passes: {waited.Above(1):F0} of {waited.Count:F0} waited over 1 s for a share and a slot (p99 {waited.Quantile(0.99)}), "
            + $"{after.SumSince(before, "mailsync_imap_logins_total"):F0} logins; "
            + $"requests to storage: {StorageRequests(before, after, planted.Elapsed)}");
    }

    private static async Task DropSyncedAsync(SiloProcesses cluster, string companyId, HashSet<int> unsynced)
    {
        var ids = unsynced.ToList();
        var synced = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            try
            {
                if ((await cluster.Grains.GetMailbox(companyId, $"user-{i}").GetStatus()).LastSyncAt is not null) synced.Add(i);
            }
            catch (TimeoutException)
            {
                // a saturated silo: asked again next round
            }
        });
        unsynced.ExceptWith(synced);
    }

    /// <summary>The silo's HTTP requests (all of them go to Azurite) by method and status: rate and duration.</summary>
    private static string StorageRequests(Metrics before, Metrics after, TimeSpan over)
    {
        const string name = "http_client_request_duration_seconds_bucket";
        var groups = after.LabelSets(name, "http_request_method", "http_response_status_code", "error_type")
            .Select(labels => (labels, h: after.Since(before, name, labels)))
            .Where(g => g.h.Count > 0)
            .OrderByDescending(g => g.h.Count)
            .Select(g => $"{string.Join(' ', g.labels.Select(l => l[(l.IndexOf('=') + 1)..].Trim('"')))} {g.h.Count / over.TotalSeconds:F1}/s "
                + $"(p50 {g.h.Quantile(0.5)}, p99 {g.h.Quantile(0.99)}, max {g.h.Quantile(1)})");
        return string.Join("; ", groups) is { Length: > 0 } all ? all : "none measured";
    }

    /// <summary>Settings to compare against the product's defaults: FLEET_MailSync__X=v is the silo's MailSync__X=v.</summary>
    private static SortedDictionary<string, string> Overrides() =>
        new(System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("FLEET_", StringComparison.Ordinal))
            .ToDictionary(e => ((string)e.Key)["FLEET_".Length..], e => (string?)e.Value ?? ""), StringComparer.Ordinal);

    private static string Percent(TimeSpan cpu, TimeSpan wall) => $"{cpu / wall * 100:F0} %";

    /// <summary>Counts the silo's log lines that matter here, and warning/error lines by category.</summary>
    private sealed class LogCounts
    {
        private readonly Dictionary<string, int> categories = [];
        private readonly Dictionary<string, string> examples = [];
        private string? exampleOf;
        private long timeouts;
        private long timeoutMentions;
        private long lostTicks;
        private long warnings;
        private long errors;

        public void Add(string line)
        {
            if (line.Contains("Response did not arrive on time", StringComparison.Ordinal)) Interlocked.Increment(ref timeouts);
            else if (line.Contains("TimeoutException", StringComparison.Ordinal)) Interlocked.Increment(ref timeoutMentions);
            if (line.Contains("Could not deliver reminder tick", StringComparison.Ordinal)) Interlocked.Increment(ref lostTicks);
            // Console formatter: "warn: Category[id]" starts an entry.
            var level = line.StartsWith("warn: ", StringComparison.Ordinal) ? 1 : line.StartsWith("fail: ", StringComparison.Ordinal) || line.StartsWith("crit: ", StringComparison.Ordinal) ? 2 : 0;
            lock (categories)
            {
                // The entry's message is the line after its header: the first one of each category is kept to print.
                if (level == 0 && exampleOf is { } of) examples.TryAdd(of, Shorten(line.Trim()));
                exampleOf = null;
                if (level == 0) return;
                var category = line[6..];
                categories[category] = categories.GetValueOrDefault(category) + 1;
                exampleOf = category;
            }
            Interlocked.Increment(ref level == 1 ? ref warnings : ref errors);
        }

        private static string Shorten(string message) => message.Length > 160 ? message[..160] + "…" : message;

        public (long Timeouts, long TimeoutMentions, long LostTicks, long Warnings, long Errors) Snapshot() =>
            (Interlocked.Read(ref timeouts), Interlocked.Read(ref timeoutMentions), Interlocked.Read(ref lostTicks), Interlocked.Read(ref warnings), Interlocked.Read(ref errors));

        public List<(string Category, int Count)> TopCategories()
        {
            lock (categories)
                return [.. categories.OrderByDescending(c => c.Value).Take(8)
                    .Select(c => (examples.TryGetValue(c.Key, out var example) ? $"{c.Key}: {example}" : c.Key, c.Value))];
        }
    }

    /// <summary>Prometheus text from the API's /metrics: sums of a metric's series, and a histogram's buckets.</summary>
    private sealed class Metrics(List<(string Name, string Labels, double Value)> samples)
    {
        public static async Task<Metrics> ReadAsync(HttpClient http)
        {
            var text = await http.GetStringAsync("/metrics");
            var samples = new List<(string, string, double)>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#') continue;
                var brace = line.IndexOf('{');
                var close = line.LastIndexOf('}');
                var (name, labels, rest) = brace >= 0 && close > brace
                    ? (line[..brace], line[brace..(close + 1)], line[(close + 1)..])
                    : (line[..line.IndexOf(' ')], "", line[line.IndexOf(' ')..]);
                // "name{labels} value [timestamp]"
                if (double.TryParse(rest.Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) samples.Add((name, labels, value));
            }
            return new Metrics(samples);
        }

        public double Sum(string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);

        /// <summary>What a counter's series added since <paramref name="earlier"/>.</summary>
        public double SumSince(Metrics earlier, string name) => Sum(name) - earlier.Sum(name);

        /// <summary>A histogram's observations since <paramref name="earlier"/>, of the series carrying all <paramref name="labels"/>.</summary>
        public Histogram Since(Metrics earlier, string name, params string[] labels) => Buckets(name, labels).Minus(earlier.Buckets(name, labels));

        /// <param name="labels">Only series carrying all of these (<c>step="open"</c>); all series when none.</param>
        public Histogram Buckets(string name, params string[] labels) => new([.. samples
            .Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal)))
            .Select(s => (Le: Le(s.Labels), s.Value)).GroupBy(b => b.Le).Select(g => (g.Key, g.Sum(b => b.Value))).OrderBy(b => b.Key)]);

        /// <summary>The distinct values of <paramref name="keys"/> among a metric's series, each as its <c>key="value"</c> labels.</summary>
        public List<string[]> LabelSets(string name, params string[] keys) => [.. samples.Where(s => s.Name == name)
            .Select(s => keys.Select(k => Label(s.Labels, k)).OfType<string>().ToArray())
            .DistinctBy(set => string.Join(',', set))];

        private static string? Label(string labels, string key)
        {
            var at = labels.IndexOf(key + "=\"", StringComparison.Ordinal);
            if (at < 0 || (at > 0 && labels[at - 1] != '{' && labels[at - 1] != ',')) return null;
            var end = labels.IndexOf('"', at + key.Length + 2);
            return labels[at..(end + 1)];
        }

        private static double Le(string labels)
        {
            var at = labels.IndexOf("le=\"", StringComparison.Ordinal) + 4;
            var bound = labels[at..labels.IndexOf('"', at)];
            return bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Cumulative bucket counts (upper bound, count ≤ it).</summary>
    private sealed class Histogram(List<(double Le, double Count)> buckets)
    {
        private List<(double Le, double Count)> Bounds => buckets;

        public double Count => buckets.Count == 0 ? 0 : buckets[^1].Count;

        public Histogram Minus(Histogram earlier) =>
            new([.. buckets.Select(b => (b.Le, b.Count - earlier.Bounds.Where(e => e.Le == b.Le).Sum(e => e.Count)))]);

        /// <summary>Observations above a bucket bound (0 when the bound is not one of the histogram's).</summary>
        public double Above(double bound) => buckets.FirstOrDefault(b => b.Le == bound) is { Le: > 0 } at ? Count - at.Count : 0;

        /// <summary>The bucket bound the quantile falls under: "≤ 2 s".</summary>
        public string Quantile(double q)
        {
            if (Count == 0) return "n/a";
            var bucket = buckets.First(b => b.Count >= q * Count);
            return double.IsPositiveInfinity(bucket.Le) ? $"> {buckets[^2].Le:0.##} s" : $"≤ {bucket.Le:0.##} s";
        }
    }

    /// <summary>CPU time from /proc: the silo process, Dovecot's process tree, Azurite.</summary>
    private sealed class Processes(int silo)
    {
        private const string ImapTitle = "dovecot/imap [";
        private readonly TestServerProcesses servers = new();

        public readonly record struct Usage(TimeSpan Ours, TimeSpan Dovecot, TimeSpan Azurite)
        {
            public static Usage operator -(Usage a, Usage b) => new(a.Ours - b.Ours, a.Dovecot - b.Dovecot, a.Azurite - b.Azurite);
        }

        public long AzuriteRss() => ProcFs.Rss(servers.Azurite);

        public Usage Cpu()
        {
            var (azurite, dovecot) = servers.Cpu();
            return new(ProcFs.Cpu(silo, children: true), dovecot, azurite);
        }

        /// <summary>Dovecot's imap processes and the sum of their RSS.</summary>
        public static (int Count, long Rss) ImapProcesses()
        {
            var (count, rss) = (0, 0L);
            foreach (var (pid, _) in ProcFs.WithCommandLine(ImapTitle))
            {
                try
                {
                    rss += ProcFs.Rss(pid);
                    count++;
                }
                catch (Exception e) when (e is IOException or InvalidOperationException)
                {
                    // exited meanwhile
                }
            }
            return (count, rss);
        }
    }
}
