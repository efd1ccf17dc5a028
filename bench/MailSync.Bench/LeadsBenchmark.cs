using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Data.Tables;
using MailSync.Grains.Leads;
using MailSync.Grains.Storage;
using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Options;

namespace MailSync.Bench;

/// <summary>
/// A company's leads at CRM scale, on its own Azurite. The API (co-hosting its silo, Azure storage) runs as a process;
/// 4 callers import n leads through <c>POST /v1/companies/{companyId}/leads</c>, 500 a call. Prints the import rate,
/// the first and last 20 calls' latency, and the API's RSS before and after. Then, in this process with the silo's
/// own <see cref="LeadLookup"/>, resolves the addresses of 2,500 messages (a lead, the user and a stranger each) with a
/// cold and a warm cache. Then restarts the API and times its first timeline read, and a fresh process's first match.
/// </summary>
public static class LeadsBenchmark
{
    private const string CompanyId = "leads-bench";
    private const int BatchSize = 500;
    private const int Callers = 4;
    private const int Messages = 2_500;
    private const int ResolveRounds = 20;

    public static async Task RunAsync(string apiDll, string tables, int leads)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = tables, ["Logging__LogLevel__Default"] = "Warning",
        };
        var port = FreePortFor();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        var auth = new Api.Auth.AuthOptions { SigningKey = ApiLoadBenchmark.SigningKey };
        var operatorToken = Api.Auth.DevelopmentTokens.Create(auth, null, null, null, isOperator: true, TimeSpan.FromHours(3));
        var admin = Api.Auth.DevelopmentTokens.Create(auth, CompanyId, "ann", "Administrator", isOperator: false, TimeSpan.FromHours(3));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);

        var api = await StartAsync(apiDll, port, settings, http);
        try
        {
            await ApiLoadBenchmark.Send(http, HttpMethod.Put, $"/v1/companies/{CompanyId}", operatorToken, new { name = "Leads", mailboxSyncLimit = 10 });
            await PostAsync(http, Batch(1, leads)); // warm-up: JIT, tables, connections (a lead past the import's range)
            var rssBefore = ProcFs.Rss(api.Id);
            var bareBefore = await BareInsertMsAsync(tables);

            var batches = (leads + BatchSize - 1) / BatchSize;
            var latency = new double[batches];
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
            {
                for (var b = Interlocked.Increment(ref next); b < batches; b = Interlocked.Increment(ref next))
                {
                    var call = Stopwatch.StartNew();
                    await PostAsync(http, Batch(Math.Min(BatchSize, leads - b * BatchSize), b * BatchSize));
                    latency[b] = call.Elapsed.TotalMilliseconds;
                    if ((b + 1) % 200 == 0) Console.WriteLine($"  {(b + 1) * BatchSize:N0} leads at {clock.Elapsed.TotalSeconds:0} s");
                }
            })));
            var seconds = clock.Elapsed.TotalSeconds;
            var (first, last) = (latency.Take(20).Average(), latency.TakeLast(20).Average());
            Console.WriteLine($"import: {leads:N0} leads in {seconds:0.0} s = {leads / seconds:N0} leads/s ({Callers} callers, {BatchSize} a call; " +
                $"target >= 5,000); first 20 calls {first:0} ms, last 20 {last:0} ms on average (last/first {last / first:0.00}; target <= 1.5)");
            var bareAfter = await BareInsertMsAsync(tables);
            Console.WriteLine($"Azurite alone (control): a 100-entity insert transaction into {AzureLeadStore.LeadsTable} took " +
                $"{bareBefore:0} ms before the import and {bareAfter:0} ms after (median of 5): what the table's size costs the emulator");
            Console.WriteLine($"API RSS: {rssBefore / 1048576.0:0} MB before the import, {ProcFs.Rss(api.Id) / 1048576.0:0} MB after");

            await ResolveAsync(tables, leads);
        }
        finally
        {
            await StopAsync(api);
        }

        var restart = Stopwatch.StartNew();
        var again = await StartAsync(apiDll, port, settings, http);
        try
        {
            var ready = restart.Elapsed.TotalSeconds;
            var read = Stopwatch.StartNew();
            var timeline = await http.GetAsync($"/v1/companies/{CompanyId}/leads/{LeadId(leads - 1)}/emails");
            Console.WriteLine($"restart: API ready in {ready:0.0} s; the first timeline read of the last lead then took " +
                $"{read.Elapsed.TotalMilliseconds:0} ms ({(int)timeline.StatusCode})");
        }
        finally
        {
            await StopAsync(again);
        }
        var fresh = Lookup(tables);
        var match = Stopwatch.StartNew();
        var found = await fresh.ResolveAsync(CompanyId, [Email(leads - 1)]);
        Console.WriteLine($"a fresh process's first match: {match.Elapsed.TotalMilliseconds:0} ms ({found.Count} found; target <= 1 s)");
    }

    /// <summary>2,500 messages, each from a lead to the user with a stranger in copy: 7,500 addresses, 2,501 distinct matches.</summary>
    private static async Task ResolveAsync(string tables, int leads)
    {
        var random = new Random(11);
        var cold = new List<double>();
        var warm = new List<double>();
        for (var round = 0; round < ResolveRounds; round++)
        {
            var addresses = Enumerable.Range(0, Messages)
                .SelectMany(m => new[] { Email(random.Next(leads)), "ann@leads-bench.example", $"stranger{round}-{m}@elsewhere.example" })
                .ToList();
            var lookup = Lookup(tables);
            var clock = Stopwatch.StartNew();
            var matches = await lookup.ResolveAsync(CompanyId, addresses);
            cold.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await lookup.ResolveAsync(CompanyId, addresses);
            warm.Add(clock.Elapsed.TotalMilliseconds);
            if (matches.Count == 0) throw new InvalidOperationException("no lead matched");
        }
        cold.Sort();
        warm.Sort();
        Console.WriteLine($"resolve {Messages:N0} messages' addresses ({Messages * 3:N0}), {ResolveRounds} rounds: cold cache p50 " +
            $"{Quantiles.At(cold, 0.5):0} ms, p99 {Quantiles.At(cold, 0.99):0} ms; warm p50 {Quantiles.At(warm, 0.5):0.0} ms, " +
            $"p99 {Quantiles.At(warm, 0.99):0.0} ms");
    }

    /// <summary>The emulator's own cost of inserting into the leads table at its current size, without the service.</summary>
    private static async Task<double> BareInsertMsAsync(string tables)
    {
        var table = new TableServiceClient(tables).GetTableClient(AzureLeadStore.LeadsTable);
        var samples = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var partition = $"control-{Guid.NewGuid():N}";
            var actions = Enumerable.Range(0, 100).Select(i => new TableTransactionAction(
                TableTransactionActionType.Add, new TableEntity(partition, $"row-{i}") { ["Email"] = $"c{i}@control.example" }));
            var clock = Stopwatch.StartNew();
            await table.SubmitTransactionAsync(actions);
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        return samples[2];
    }

    private static LeadLookup Lookup(string tables) => new(
        new AzureLeadStore(new MailSyncTables(new TableServiceClient(tables))),
        new LeadAddressCache(Options.Create(new MailSyncOptions()), new MailSyncClock(TimeProvider.System)));

    private static async Task<Process> StartAsync(string apiDll, int port, Dictionary<string, string> settings, HttpClient http)
    {
        var api = ApiLoadBenchmark.StartApi(apiDll, port, settings);
        try
        {
            await MailSync.Testing.Poll.UntilAsync(() => ApiLoadBenchmark.Ready(http), ready => ready, TimeSpan.FromSeconds(90), "API ready");
            return api;
        }
        catch
        {
            api.Kill(entireProcessTree: true); // never left running behind a failed benchmark
            throw;
        }
    }

    /// <summary>As a deploy stops it (SIGTERM): the silo leaves the cluster, so the next one need not wait to declare it dead.</summary>
    private static async Task StopAsync(Process api)
    {
        using (var term = Process.Start("kill", ["-TERM", api.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await api.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }
    }

    private static async Task PostAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync($"/v1/companies/{CompanyId}/leads", body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"import call answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static object Batch(int count, int from) =>
        new { items = Enumerable.Range(from, count).Select(i => new { leadId = LeadId(i), email = Email(i), name = $"Lead {i}" }) };

    private static string LeadId(int i) => $"lead-{i.ToString(CultureInfo.InvariantCulture)}";

    private static string Email(int i) => $"lead{i.ToString(CultureInfo.InvariantCulture)}@leads-bench.example";

    private static int FreePortFor() => MailSync.Testing.FreePort.Next();
}
