using System.Diagnostics;
using System.Net.Http.Headers;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Testing;

namespace MailSync.Bench;

/// <summary>
/// A real cluster on this machine: 3 silo processes (Production settings, mutual TLS, Azurite, Dovecot), 300 mailboxes
/// polling every 5 s, and the API as its own process in Client mode answering status reads from 4 busy clients. After
/// kill -9 of a silo, a rolling restart and a cold restart, one message per mailbox is delivered; prints p50/p90/max of
/// delivery-to-timeline and the API's non-2xx answers during each phase.
/// </summary>
public static class ClusterBenchmark
{
    private const string SigningKey = "benchmark-signing-key-0123456789-abcdefghij";
    private const int Silos = 3;

    public static async Task RunAsync(int mailboxes = 300)
    {
        await using var cluster = new SiloProcesses(new Dictionary<string, string>
        {
            ["MailSync__PollInterval"] = "00:00:05",
            ["MailSync__AllowPrivateImapHosts"] = "true",
            ["MailSync__AllowAnyImapPort"] = "true",
            ["MailSync__TrustedCertificateThumbprints__0"] = Dovecot.CertificateThumbprint,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        for (var i = 0; i < Silos; i++) await cluster.StartSiloAsync();
        var companyId = $"bench-{Guid.NewGuid():N}"[..20];
        var users = Enumerable.Range(0, mailboxes).Select(i => Dovecot.CreateUser($"b{i}")).ToList();
        await cluster.Grains.GetGrain<ICompanyGrain>(companyId).Upsert("Bench", mailboxes);
        await cluster.Grains.GetGrain<ILeadDirectoryGrain>(companyId).Upsert([.. users.Select((_, i) => new Lead($"lead-{i}", $"lead{i}@lead.example", null))]);
        await Parallel.ForEachAsync(users.Select((u, i) => (u, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (x, _) =>
            await cluster.Grains.GetMailbox(companyId, $"user-{x.i}").Connect(Dovecot.Credentials(x.u.User, x.u.Password)));
        var onboarding = Stopwatch.StartNew();
        while (true)
        {
            var views = await Task.WhenAll(users.Select((_, i) => cluster.Grains.GetMailbox(companyId, $"user-{i}").GetStatus()));
            if (views.All(v => v.LastSyncAt is not null)) break;
            if (onboarding.Elapsed > TimeSpan.FromMinutes(5))
                throw new TimeoutException("first sync of every mailbox: " + string.Join(", ",
                    views.GroupBy(v => (v.Status, Synced: v.LastSyncAt is not null)).Select(g => $"{g.Count()} {g.Key.Status} synced={g.Key.Synced}")));
            await Task.Delay(1000);
        }
        Console.WriteLine($"{mailboxes} mailboxes synced on {Silos} silos (poll 5 s)");

        var apiPort = FreePort.Next();
        var apiEnvironment = cluster.HostEnvironment("api");
        apiEnvironment["Orleans__Mode"] = "Client";
        apiEnvironment["Auth__SigningKey"] = SigningKey;
        foreach (var (key, value) in ApiLoadBenchmark.NoRateLimits) apiEnvironment[key] = value;
        apiEnvironment["Logging__LogLevel__Default"] = "Warning";
        using var api = Process.Start(HostProcess.Start(HostProcess.Dll("Api", "MailSync.Api.dll"), HostProcess.ApiEnvironment("Development", apiEnvironment, apiPort)))!;
        api.OutputDataReceived += (_, _) => { };
        api.ErrorDataReceived += (_, _) => { };
        api.BeginOutputReadLine();
        api.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(60) };
            await Poll.UntilAsync(async () => await StatusOf(http, "/health/ready", null), s => s == 200, TimeSpan.FromMinutes(2), "API ready");
            var token = Api.Auth.DevelopmentTokens.Create(new Api.Auth.AuthOptions { SigningKey = SigningKey }, companyId, null, "Administrator",
                isOperator: false, TimeSpan.FromHours(1));
            var load = new StatusLoad(http, token, companyId, mailboxes);
            using var stop = new CancellationTokenSource();
            var readers = Enumerable.Range(0, 4).Select(_ => load.RunAsync(stop.Token)).ToArray();

            await Phase("kill -9 one silo", load, cluster, companyId, users, async () => await cluster.KillAsync(cluster.Running[0]));
            await cluster.StartSiloAsync();
            await Phase("rolling restart", load, cluster, companyId, users, async () =>
            {
                foreach (var silo in cluster.Running.ToList())
                {
                    await cluster.StopAsync(silo);
                    await cluster.StartSiloAsync();
                }
            });
            await Phase("cold restart", load, cluster, companyId, users, async () =>
            {
                foreach (var silo in cluster.Running.ToList()) await cluster.StopAsync(silo);
                for (var i = 0; i < Silos; i++) await cluster.StartSiloAsync();
            });
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }
    }

    private static async Task Phase(string name, StatusLoad load, SiloProcesses cluster, string companyId, List<(string User, string Password)> users, Func<Task> disrupt)
    {
        var (requestsBefore, failuresBefore) = load.Counts;
        load.ResetLatencies();
        await disrupt();
        var delivered = Stopwatch.StartNew();
        var plantedAt = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < users.Count; i++)
        {
            Dovecot.Plant(users[i].User, Mail.Message($"lead{i}@lead.example", [Dovecot.Address(users[i].User)], $"{name} {i}", DateTimeOffset.UtcNow));
            plantedAt[$"{name} {i}"] = DateTimeOffset.UtcNow;
        }
        var reader = cluster.Grains.GetGrain<ITimelineReaderGrain>(companyId);
        var arrived = new TimeSpan?[users.Count];
        var deadline = TimeSpan.FromMinutes(6);
        while (arrived.Any(a => a is null) && delivered.Elapsed < deadline)
        {
            // Concurrent and bounded: 300 reads in a row took seconds a round, so the figures measured the reading.
            foreach (var i in await TimelineArrivals.ShownAsync(reader, Enumerable.Range(0, users.Count).Where(i => arrived[i] is null),
                         i => $"lead-{i}", i => $"{name} {i}"))
                arrived[i] = delivered.Elapsed;
            await Task.Delay(200);
        }
        var seen = arrived.Where(a => a is not null).Select(a => a!.Value.TotalSeconds).Order().ToList();
        // Timed by storage (the row's Timestamp − planted): the reads above end a round together, so a round held up by the
        // healing cluster would date every message it found to the round's end.
        var times = await StoredArrivals.SecondsAsync(companyId, plantedAt);
        var (requests, failures) = load.Counts;
        var missing = users.Count - seen.Count;
        Console.WriteLine(times.Count == 0
            ? $"{name}: no message reached its timeline within {deadline}"
            : $"{name}: delivery-to-timeline p50 {Quantiles.At(times, 0.5):F1} s, p90 {Quantiles.At(times, 0.9):F1} s, max {times[^1]:F1} s"
              + (seen.Count > 0 ? $" (stored; seen by a reader: p50 {Quantiles.At(seen, 0.5):F1} s, max {seen[^1]:F1} s)" : " (stored; no reader saw it)")
              + (missing > 0 ? $", {missing} missing after {deadline}" : "")
              + $"; API {requests - requestsBefore} status reads, {failures - failuresBefore} non-2xx, {load.Latencies}");
    }

    private static async Task<int> StatusOf(HttpClient http, string path, string? token)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>Clients reading mailbox statuses round the company as fast as the API answers; counts answers that are not 2xx.</summary>
    private sealed class StatusLoad(HttpClient http, string token, string companyId, int mailboxes)
    {
        private long requests;
        private long failures;

        private readonly List<double> latencies = [];

        public (long Requests, long Failures) Counts => (Interlocked.Read(ref requests), Interlocked.Read(ref failures));

        /// <summary>How long status reads took since the last reset: a request waiting on a dead gateway shows here.</summary>
        public string Latencies
        {
            get
            {
                List<double> sorted;
                lock (latencies) sorted = [.. latencies.Order()];
                return sorted.Count == 0 ? "no reads" : $"read latency p50 {Quantiles.At(sorted, 0.5) * 1000:F0} ms, p99 {Quantiles.At(sorted, 0.99) * 1000:F0} ms, max {sorted[^1]:F1} s";
            }
        }

        public void ResetLatencies()
        {
            lock (latencies) latencies.Clear();
        }

        public async Task RunAsync(CancellationToken stop)
        {
            var i = Random.Shared.Next(mailboxes);
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var status = await StatusOf(http, $"/v1/companies/{companyId}/users/user-{i++ % mailboxes}/mailbox", token);
                lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                Interlocked.Increment(ref requests);
                if (status is < 200 or > 299) Interlocked.Increment(ref failures);
            }
        }
    }
}
