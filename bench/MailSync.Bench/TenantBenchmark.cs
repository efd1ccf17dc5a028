using System.Diagnostics;
using Azure.Data.Tables;
using MailSync.Grains.Directory;
using MailSync.Grains.Hosting;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
using MailSync.Shared.Cluster;
using MailSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Core.Internal;

namespace MailSync.Bench;

/// <summary>
/// One large tenant on Azurite: 100,000 registered users, 10,000 of them with a mailbox holding a seat (statuses
/// spread over Enabled, Error and ConnectionIssue, as the mailbox grains would have written them), planted in bulk
/// straight into the company's rows. A real silo runs in-process, configured through the production
/// <see cref="ClusterHosting"/>, with the company rows counted by <see cref="CountingCompanyRows"/>. After warm-up it
/// measures, one call at a time: (a) the 100-user overview page (random and consecutive pages, and status=Error; the
/// random pages also straight from the store, to show what Azurite's query alone takes), (b) a seat grant and its
/// release with one seat free (limit 10,001), (c) bytes written per seat operation and the company grain's stored
/// state, (d) the company grain's activation (its state and 10,000 seat rows).
/// Nobody else holds a seat or waits: a Pending user would sit in the seat queue, and a queue makes a request wait
/// instead of being granted, so the planted mailboxes all hold seats.
/// </summary>
public static class TenantBenchmark
{
    private const string CompanyId = "tenant-bench";
    private const int Users = 100_000;
    private const int Mailboxes = 10_000;
    private const int Limit = Mailboxes + 1;
    private const int PageSize = 100;
    private const int Samples = 300;
    private const int WarmUpPairs = 50;
    private const int Activations = 5;
    private const double OverviewTargetMs = 50;
    private const double GrantTargetMs = 20;

    public static async Task RunAsync(string tablesConnectionString, int? azuritePid = null)
    {
        var total = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var plant = Stopwatch.StartNew();
        var statuses = await PlantAsync(tablesConnectionString, now);
        var byStatus = statuses.Values.CountBy(s => s).OrderBy(s => s.Key).ToList();
        var errors = statuses.Values.Count(s => s == MailboxStatus.Error);
        Console.WriteLine($"planted {Users:N0} users and {Mailboxes:N0} seat holders with status rows " +
            $"({string.Join(", ", byStatus.Select(s => $"{s.Key} {s.Value:N0}"))}) in {plant.Elapsed.TotalSeconds:0.0} s");

        CountingCompanyRows? counted = null;
        using var host = await StartSiloAsync(tablesConnectionString, services =>
            services.AddSingleton<ICompanyRows>(sp => counted = new CountingCompanyRows(ActivatorUtilities.CreateInstance<AzureCompanyRows>(sp))));
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var company = grains.GetGrain<ICompanyGrain>(CompanyId);
        var directory = grains.GetGrain<ICompanyDirectoryGrain>(CompanyId);
        await company.Upsert("Tenant", Limit);
        var rows = counted ?? throw new InvalidOperationException("the silo did not use the counting company rows");
        await RequireSeats(company);
        Console.WriteLine($"silo started and company created at {total.Elapsed.TotalSeconds:0} s");

        // Warm-up, and the continuation tokens of every page: one walk through the whole list and the Error list.
        var warmUp = Stopwatch.StartNew();
        var pages = await WalkAsync(directory, null, Users);
        var errorPages = await WalkAsync(directory, MailboxStatus.Error, errors);
        var newcomers = Enumerable.Range(0, Users).Where(i => !statuses.ContainsKey(i)).Take(WarmUpPairs + Samples).Select(UserId).ToList();
        foreach (var user in newcomers.Take(WarmUpPairs)) await GrantAndReleaseAsync(company, rows, user);
        Console.WriteLine($"warm-up: {pages.Count:N0} pages of all users, {errorPages.Count} pages of Error users, " +
            $"{WarmUpPairs} seat grants and releases in {warmUp.Elapsed.TotalSeconds:0.0} s");

        // (a) Overview pages. Each random page is also read straight from the store (no silo), right after, so the two
        // compare under the same conditions: what the page costs above Azurite's own query.
        var store = new AzureCompanyRows(new MailSyncTables(new TableServiceClient(tablesConnectionString)));
        var random = new Random(7);
        var randomMs = new List<double>();
        var storeMs = new List<double>();
        var randomUsage = await PhaseAsync(azuritePid, async () =>
        {
            for (var i = 0; i < Samples; i++)
            {
                var page = pages[random.Next(pages.Count)];
                randomMs.Add(await PageAsync(directory, page, null));
                storeMs.Add(await StorePageAsync(store, page));
            }
        });
        var consecutiveMs = new List<double>();
        var consecutiveUsage = await PhaseAsync(azuritePid, async () =>
        {
            for (var i = 0; i < Samples; i++) consecutiveMs.Add(await PageAsync(directory, pages[i], null));
        });
        var errorMs = new List<double>();
        var errorUsage = await PhaseAsync(azuritePid, async () =>
        {
            for (var i = 0; i < Samples; i++) errorMs.Add(await PageAsync(directory, errorPages[i % errorPages.Count], MailboxStatus.Error));
        });
        // On Azurite a page costs more the more rows follow it in the partition (Azure Tables seek by key): pages near
        // the start of the list are the slowest.
        var firstPagesMs = new List<double>();
        var lastPagesMs = new List<double>();
        foreach (var page in pages[..50]) firstPagesMs.Add(await StorePageAsync(store, page));
        foreach (var page in pages[^50..]) lastPagesMs.Add(await StorePageAsync(store, page));

        // (b) and (c) Seat grants and releases, one seat free.
        var grants = new List<double>();
        var releases = new List<double>();
        var grantWrites = new List<CountingCompanyRows.Written>();
        var releaseWrites = new List<CountingCompanyRows.Written>();
        var otherWrites = default(CountingCompanyRows.Written);
        var seatUsage = await PhaseAsync(azuritePid, async () =>
        {
            foreach (var user in newcomers.Skip(WarmUpPairs))
            {
                var (grant, release) = await GrantAndReleaseAsync(company, rows, user);
                grants.Add(grant.Ms);
                releases.Add(release.Ms);
                grantWrites.Add(grant.Seats);
                releaseWrites.Add(release.Seats);
                otherWrites += grant.Other + release.Other;
            }
        });
        await RequireSeats(company);
        var (stateRows, stateBytes) = await GrainStateAsync(tablesConnectionString);

        // (d) Activation: the company grain deactivated, then the first call activates it again (state + seat rows).
        var activations = new List<double>();
        for (var i = 0; i < Activations; i++) activations.Add(await ActivationAsync(company, rows));
        var scans = new List<double>();
        for (var i = 0; i < Activations; i++) scans.Add(await ScanSeatsAsync(store));

        Console.WriteLine();
        Console.WriteLine($"Tenant: {Users:N0} users, {Mailboxes:N0} mailboxes holding seats, limit {Limit:N0}; " +
            "in-process silo (ClusterHosting) on Azurite; one call at a time");
        Console.WriteLine($"{"",-52} {"p50",9} {"p99",9} {"max",9}   target");
        Row("(a) overview page, 100 users, random pages", randomMs, OverviewTargetMs);
        Row($"    overview page, 100 users, pages 1-{Samples} in order", consecutiveMs, OverviewTargetMs);
        Row($"    overview page, status=Error ({errors:N0} of {Users:N0})", errorMs, OverviewTargetMs);
        Row("    the random pages, store query alone (no silo)", storeMs, null);
        Console.WriteLine($"    store query alone, median of the first 50 pages {Median(firstPagesMs):0.0} ms, " +
            $"of the last 50 {Median(lastPagesMs):0.0} ms (Azurite's cost grows with the rows after the page)");
        Row("(b) seat grant (RequestSeat, one seat free)", grants, GrantTargetMs);
        Row("    seat release (ReleaseSeat)", releases, null);
        Console.WriteLine($"(c) written per grant:   {Describe(grantWrites)} to {DirectoryTables.Seats}");
        Console.WriteLine($"    written per release: {Describe(releaseWrites)} to {DirectoryTables.Seats} (a delete sends its keys)");
        Console.WriteLine($"    written to other tables by the {Samples} pairs: {otherWrites.Rows} rows, {otherWrites.Bytes} B");
        Console.WriteLine($"    company grain state as stored: {stateBytes:N0} B in {stateRows} OrleansGrainState row(s)");
        Console.WriteLine($"(d) company grain activation ({Mailboxes:N0} seat rows): {Median(activations):0} ms, median of {Activations} " +
            $"(runs: {string.Join(" ", activations.Select(a => a.ToString("0")))} ms); " +
            $"the seat-row scan alone: {Median(scans):0} ms");
        Console.WriteLine("cpu while measuring (Azurite is one node process: one core at most):");
        Usage("(a) random pages + store", randomUsage);
        Usage("(a) pages in order", consecutiveUsage);
        Usage("(a) status=Error", errorUsage);
        Usage("(b) grants + releases", seatUsage);
        await host.StopAsync();
        Console.WriteLine($"total {total.Elapsed.TotalSeconds:0} s");
    }

    private static string UserId(int i) => $"u{i:D6}";

    /// <summary>
    /// Every user's registration row; the mailbox users' rows also carry their status columns (merged into the one row,
    /// as the mailbox grain's upsert would) and each has a seat row. Returns the planted statuses by user index.
    /// </summary>
    private static async Task<IReadOnlyDictionary<int, MailboxStatus>> PlantAsync(string connectionString, DateTimeOffset now)
    {
        var random = new Random(42);
        var statuses = new Dictionary<int, MailboxStatus>();
        foreach (var i in Enumerable.Range(0, Users).OrderBy(_ => random.Next()).Take(Mailboxes))
        {
            var r = random.NextDouble();
            statuses[i] = r < 0.8 ? MailboxStatus.Enabled : r < 0.9 ? MailboxStatus.Error : MailboxStatus.ConnectionIssue;
        }
        var store = new AzureCompanyRows(new MailSyncTables(new TableServiceClient(connectionString)));
        await Parallel.ForEachAsync(Enumerable.Range(0, Users).Chunk(TableBatches.MaxActionsPerTransaction),
            new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
            {
                await store.ApplyAsync(DirectoryTables.Users, CompanyId,
                    [.. chunk.Select(i => RowChange.Upsert(UserRows.Key(UserId(i)), UserColumns(i, statuses.GetValueOrDefault(i), now)))], ct);
                var holders = chunk.Where(statuses.ContainsKey).Select(i => new SeatRow(UserId(i), Holder: true, 0)).ToList();
                if (holders.Count > 0)
                    await store.ApplyAsync(DirectoryTables.Seats, CompanyId, [.. holders.Select(h => RowChange.Upsert(h.Key, h.Columns))], ct);
            });
        return statuses;
    }

    private static Dictionary<string, object?> UserColumns(int i, MailboxStatus status, DateTimeOffset now)
    {
        var user = new CompanyUser(UserId(i), $"{UserId(i)}@tenant.test", "Salesperson");
        var columns = new Dictionary<string, object?>(UserRows.NewRegistration(user));
        if (status == MailboxStatus.NotConfigured) return columns;
        var lastSync = now.AddSeconds(-(i % 900));
        var view = status == MailboxStatus.Enabled
            ? new MailboxView(CompanyId, user.UserId, user.Email, (MailboxProvider)(i % 3), status, lastSync, null, 1_000 + i % 50_000, null, null, null)
            : new MailboxView(CompanyId, user.UserId, user.Email, (MailboxProvider)(i % 3), status, lastSync.AddHours(-3),
                Failure(status, now.AddMinutes(-(i % 60)), 1 + i % 7), 1_000 + i % 50_000, null, lastSync.AddHours(-3), now.AddMinutes(i % 30));
        foreach (var (name, value) in UserRows.Mailbox(view)) columns[name] = value;
        return columns;
    }

    private static MailboxError Failure(MailboxStatus status, DateTimeOffset at, int attempt)
    {
        var (code, detail) = status == MailboxStatus.Error
            ? (MailboxErrorCode.AuthenticationFailed, "NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)")
            : (MailboxErrorCode.ConnectionTimeout, "Connecting to imap.tenant.test:993 timed out after 30 s.");
        var (message, fix) = ErrorCatalog.Describe(code, MailboxProvider.Custom);
        return new MailboxError(at, code, message, fix, detail, attempt);
    }

    /// <summary>A silo as production builds it (<c>UseMailSyncCluster</c> + <c>AddMailSyncGrains</c>) on the given Azurite.</summary>
    internal static async Task<IHost> StartSiloAsync(
        string tablesConnectionString, Action<IServiceCollection> configureServices, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // Development: the servers on 127.0.0.1 and their free ports need the flags refused elsewhere.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(TestSecrets.Settings.Concat(TestCertificates.Cluster.HostSettings("bench")))
        {
            ["Storage:ConnectionString"] = tablesConnectionString,
            ["Orleans:ServiceId"] = "bench",
            ["Orleans:ClusterId"] = "bench",
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        configureServices(builder.Services);
        builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration).AddMailSyncGrains());
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    private static async Task RequireSeats(ICompanyGrain company)
    {
        var overview = await company.GetOverview();
        if ((overview.MailboxSyncLimit, overview.SeatsUsed, overview.PendingCount) != (Limit, Mailboxes, 0))
            throw new InvalidOperationException($"company seats: {overview.SeatsUsed} used of {overview.MailboxSyncLimit}, {overview.PendingCount} pending");
    }

    /// <summary>A page of the list: the continuation token that asks for it (null for the first) and how many users it has.</summary>
    private readonly record struct ListPage(string? Token, int Count);

    /// <summary>Follows the list to its end; returns every page.</summary>
    private static async Task<List<ListPage>> WalkAsync(ICompanyDirectoryGrain directory, MailboxStatus? status, int expected)
    {
        var pages = new List<ListPage>();
        string? token = null;
        do
        {
            var page = await directory.GetUsers(PageSize, token, status);
            if (status is { } only && page.Items.Any(v => v.Status != only)) throw new InvalidOperationException($"a {status} page lists another status");
            pages.Add(new ListPage(token, page.Items.Count));
            token = page.Next;
        }
        while (token is not null);
        var seen = pages.Sum(p => p.Count);
        if (seen != expected) throw new InvalidOperationException($"the {status?.ToString() ?? "whole"} list has {seen} users, expected {expected}");
        return pages;
    }

    private static async Task<double> PageAsync(ICompanyDirectoryGrain directory, ListPage expected, MailboxStatus? status)
    {
        var watch = Stopwatch.StartNew();
        var page = await directory.GetUsers(PageSize, expected.Token, status);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (page.Items.Count != expected.Count) throw new InvalidOperationException($"a page of {page.Items.Count} users, expected {expected.Count}");
        return ms;
    }

    private static async Task<double> StorePageAsync(AzureCompanyRows store, ListPage expected)
    {
        var position = DirectoryContinuation.Decode(CompanyId, "users:", expected.Token);
        var watch = Stopwatch.StartNew();
        var page = await store.PageAsync(DirectoryTables.Users, CompanyId, new RowQuery(PageSize, position));
        var ms = watch.Elapsed.TotalMilliseconds;
        if (page.Rows.Count != expected.Count) throw new InvalidOperationException($"a page of {page.Rows.Count} rows, expected {expected.Count}");
        return ms;
    }

    private static async Task<(Operation Grant, Operation Release)> GrantAndReleaseAsync(ICompanyGrain company, CountingCompanyRows rows, string user)
    {
        var decision = default(SeatDecision);
        var grant = await OperationAsync(rows, async () => decision = await company.RequestSeat(user));
        if (decision is not { Granted: true }) throw new InvalidOperationException($"{user} was not granted a seat: {decision}");
        var release = await OperationAsync(rows, () => company.ReleaseSeat(user));
        return (grant, release);
    }

    private readonly record struct Operation(double Ms, CountingCompanyRows.Written Seats, CountingCompanyRows.Written Other);

    private static async Task<Operation> OperationAsync(CountingCompanyRows rows, Func<Task> call)
    {
        var (seats, all) = (rows.WrittenTo(DirectoryTables.Seats), rows.WrittenInAll());
        var watch = Stopwatch.StartNew();
        await call();
        var ms = watch.Elapsed.TotalMilliseconds;
        var seatsWritten = rows.WrittenTo(DirectoryTables.Seats) - seats;
        return new Operation(ms, seatsWritten, rows.WrittenInAll() - all - seatsWritten);
    }

    /// <summary>The company grain's own state as Orleans stored it: the grain-state rows naming the company (no mailbox grain runs here).</summary>
    private static async Task<(int Rows, long Bytes)> GrainStateAsync(string tablesConnectionString)
    {
        var table = new TableServiceClient(tablesConnectionString).GetTableClient("OrleansGrainState");
        var (count, bytes) = (0, 0L);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            var keys = row.PartitionKey + row.RowKey;
            if (!keys.Contains(CompanyId, StringComparison.Ordinal) || keys.Contains("mailbox", StringComparison.OrdinalIgnoreCase)) continue;
            count++;
            bytes += TableEntitySize.Of(row);
        }
        return (count, bytes);
    }

    /// <summary>
    /// Deactivates the company grain, waits until it is gone, then times the first call (which activates it). The
    /// count of seat-row scans proves the call activated it; if the old activation was still there, it tries again.
    /// </summary>
    private static async Task<double> ActivationAsync(ICompanyGrain company, CountingCompanyRows rows)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await company.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
            await Task.Delay(TimeSpan.FromSeconds(1));
            var scans = rows.Scans(DirectoryTables.Seats);
            var watch = Stopwatch.StartNew();
            await company.GetOverview();
            var ms = watch.Elapsed.TotalMilliseconds;
            if (rows.Scans(DirectoryTables.Seats) == scans + 1)
            {
                await RequireSeats(company);
                return ms;
            }
        }
        throw new InvalidOperationException("the company grain was not reactivated");
    }

    private static async Task<double> ScanSeatsAsync(AzureCompanyRows store)
    {
        var watch = Stopwatch.StartNew();
        var count = 0;
        await foreach (var row in store.ScanAsync(DirectoryTables.Seats, CompanyId)) count += SeatRow.From(row).Holder ? 1 : 0;
        var ms = watch.Elapsed.TotalMilliseconds;
        if (count != Mailboxes) throw new InvalidOperationException($"{count} seat rows, expected {Mailboxes}");
        return ms;
    }

    private static void Row(string name, List<double> ms, double? targetP99)
    {
        var (p50, p99) = (Percentile(ms, 0.50), Percentile(ms, 0.99));
        var target = targetP99 is { } t ? $"p99 <= {t:0} ms  {(p99 <= t ? "met" : "MISSED")}" : "(none)";
        Console.WriteLine($"{name,-52} {p50,6:0.0} ms {p99,6:0.0} ms {ms.Max(),6:0.0} ms   {target}   (n={ms.Count})");
    }

    /// <summary>A measured phase: its wall time and CPU here, in Azurite (when its process id is known) and in the rest of the machine.</summary>
    private sealed record Phase(Measurement Measured, TimeSpan? Azurite);

    private static async Task<Phase> PhaseAsync(int? azuritePid, Func<Task> run)
    {
        var before = azuritePid is { } pid ? ProcFs.Cpu(pid) : (TimeSpan?)null;
        var measured = await Measurement.OfAsync(run);
        return new Phase(measured, azuritePid is { } after ? ProcFs.Cpu(after) - before : null);
    }

    private static void Usage(string name, Phase phase)
    {
        var (wall, usage) = (phase.Measured.Wall, phase.Measured.Usage);
        var others = usage.MachineCpu - usage.Cpu - (phase.Azurite ?? TimeSpan.Zero);
        var azurite = phase.Azurite is { } a ? $"{a.TotalMilliseconds,6:N0} ms in Azurite, " : "";
        Console.WriteLine($"    {name + ":",-26} {wall.TotalSeconds,5:0.0} s wall, cpu {usage.Cpu.TotalMilliseconds,6:N0} ms here, " +
            $"{azurite}{others.TotalMilliseconds,6:N0} ms in other processes");
    }

    private static string Describe(List<CountingCompanyRows.Written> writes)
    {
        var rows = writes.Select(w => w.Rows).Distinct().Order().ToList();
        var bytes = writes.Select(w => w.Bytes).ToList();
        return $"{string.Join("/", rows)} row(s), {bytes.Min()}-{bytes.Max()} B (mean {bytes.Average():0})";
    }

    /// <summary>Nearest rank: the smallest sample with at least <paramref name="p"/> of the samples at or below it.</summary>
    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);
}
