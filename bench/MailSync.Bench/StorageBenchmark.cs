using MailSync.Grains.Hosting;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Shared.Cluster;
using MailSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailSync.Bench;

/// <summary>
/// <c>scripts/bench.sh storage</c>: what each operation asks of Azure Table storage, counted by an SDK pipeline policy
/// on the one <c>TableServiceClient</c> the silo uses (grain state, reminders, membership and our tables alike), on an
/// Azurite of its own with Dovecot. Each operation runs alone on a quiet silo; its row counts every request until storage
/// has been quiet for a while. The figures feed docs/capacity.md.
/// </summary>
public static class StorageBenchmark
{
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private sealed record Row(string Operation, IReadOnlyDictionary<(string Method, string Table), int> Requests,
        IReadOnlyDictionary<(string Table, string Partition), StorageRequests.Entities> Entities, int Per = 1);

    public static async Task RunAsync()
    {
        var ledger = new StorageRequests();
        var settings = Settings();
        var rows = new List<Row>();
        var company = $"co-{Guid.NewGuid():N}"[..16];
        var (ann, annPassword) = Dovecot.CreateUser("st-ann");
        var (bea, beaPassword) = Dovecot.CreateUser("st-bea");
        var (cid, cidPassword) = Dovecot.CreateUser("st-cid");
        await using var outage = new OutageProxy(TestServices.Current.ImapsPort);
        for (var i = 0; i < 1000; i++)
            Dovecot.Plant(bea, Mail.Message("lee@lead.example", [Dovecot.Address(bea)], $"history {i}", DateTimeOffset.UtcNow.AddDays(-1).AddMinutes(-i)));

        async Task MeasureAsync(string operation, Func<Task> run, int per = 1)
        {
            await QuietAsync(ledger);
            ledger.Reset();
            await run();
            // Reads of a grain's state answer before its write lands: storage must stay quiet a while after the operation.
            await Task.Delay(Settled);
            await QuietAsync(ledger);
            rows.Add(new Row(operation, ledger.Requests, ledger.EntitiesByPartition, per));
            Console.Error.WriteLine($"  measured: {operation}");
        }

        var host = await StartSiloAsync(settings, ledger);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<ICompanyGrain>(company).Upsert("Storage", 10);
            IMailboxGrain Mailbox(string user) => grains.GetMailbox(company, user);

            await MeasureAsync("lead upsert (1 lead)",
                () => grains.GetGrain<ILeadDirectoryGrain>(company).Upsert([new Lead("lee", "lee@lead.example", "Lee")]));
            await MeasureAsync("seat grant", () => grains.GetGrain<ICompanyGrain>(company).RequestSeat("seat-only"));
            await MeasureAsync("connect (empty mailbox, first sync included)", async () =>
            {
                await Mailbox(ann).Connect(Dovecot.Credentials(ann, annPassword));
                await Poll.UntilAsync(() => Mailbox(ann).GetStatus(), v => v.LastSyncAt is not null, Deadline, "ann synced");
            });
            async Task QuietPollAsync()
            {
                var before = (await Mailbox(ann).GetStatus()).LastSyncAt;
                await Mailbox(ann).MailArrived();
                await Poll.UntilAsync(() => Mailbox(ann).GetStatus(), v => v.LastSyncAt > before, Deadline, "ann polled");
            }
            // The first poll after a connect settles the mailbox's schedule (its reminder); the second is every later one.
            await MeasureAsync("first quiet poll after the connect", QuietPollAsync);
            await MeasureAsync("quiet poll", QuietPollAsync);
            await MeasureAsync("poll finding 1 message with 1 lead", async () =>
            {
                Dovecot.Plant(ann, Mail.Message("lee@lead.example", [Dovecot.Address(ann)], "new", DateTimeOffset.UtcNow));
                await Mailbox(ann).MailArrived();
                await Poll.UntilAsync(() => Mailbox(ann).GetStatus(), v => v.MessagesSynced >= 1, Deadline, "ann's new mail");
            });
            await MeasureAsync("connect + first sync of 1,000 messages (each with 1 lead)", async () =>
            {
                await Mailbox(bea).Connect(Dovecot.Credentials(bea, beaPassword));
                await Poll.UntilAsync(() => Mailbox(bea).GetStatus(), v => v.MessagesSynced >= 1000, Deadline, "bea's history");
            });
            await Mailbox(cid).Connect(Dovecot.Credentials(cid, cidPassword) with
            {
                Imap = new ImapEndpoint("127.0.0.1", outage.Port, ImapSecurity.Ssl),
            });
            var healthy = await Poll.UntilAsync(
                () => Mailbox(cid).GetStatus(), v => v.LastSyncAt is not null, Deadline, "cid synced");
            Console.Error.WriteLine($"  cid before the outage: {healthy.Status}, last error {healthy.LastError?.Code}");
            await MeasureAsync("status change (server unreachable: error entry, status row, event)", async () =>
            {
                await outage.CutAsync();
                await Mailbox(cid).MailArrived();
                var failed = await Poll.UntilAsync(() => Mailbox(cid).GetStatus(),
                    v => v.Status != healthy.Status || v.FailingSince is not null, Deadline, "cid failed");
                Console.Error.WriteLine($"  cid after the outage: {failed.Status}, last error {failed.LastError?.Code}");
            });
            await MeasureAsync("disconnect (history kept)", () => Mailbox(ann).Disconnect(keepHistory: true));
            await using var receiver = await WebhookReceiver.StartAsync();
            await grains.GetGrain<ICompanyWebhooksGrain>(company).Put("bench",
                new WebhookSubscriptionInput(receiver.Url, [WebhookEventTypes.StatusChanged], receiver.Secret));
            await MeasureAsync("event appended and delivered to 1 webhook", async () =>
            {
                var before = receiver.AcceptedCount;
                await grains.GetGrain<ICompanyWebhooksGrain>(company).Append([new MailboxEvent($"evt_storage_{Guid.NewGuid():N}",
                    WebhookEventTypes.StatusChanged, ann, DateTimeOffset.UtcNow,
                    $"{{\"companyId\":\"{company}\",\"userId\":\"{ann}\",\"oldStatus\":\"Enabled\",\"newStatus\":\"Error\",\"lastError\":null}}",
                    MailboxStatus.Enabled, MailboxStatus.Error)]);
                await Poll.UntilAsync(() => Task.FromResult(receiver.AcceptedCount), n => n > before, Deadline, "delivered");
            });
            await MeasureAsync("change-feed page (limit 100)", () => grains.GetGrain<IChangeFeedGrain>(company).GetChanges(null, 100));
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }

        // The same cluster again: schedule keepers resume bea and cid (ann is disconnected) within seconds, each activation
        // reading its state; the silo's own start (its tables, membership) is left out.
        ledger.Reset();
        host = await StartSiloAsync(settings, ledger);
        try
        {
            await Poll.UntilAsync(() => host.Services.GetRequiredService<IGrainFactory>().GetMailbox(company, cid).GetStatus(),
                _ => true, Deadline, "cid answers");
            await Task.Delay(Settled);
            await QuietAsync(ledger);
            rows.Add(new Row("activation of a mailbox (silo start, per mailbox resumed)",
                ledger.Requests.Where(r => r.Key.Table is not ("Tables" or "OrleansSiloInstances")).ToDictionary(),
                ledger.EntitiesByPartition.Where(e => e.Key.Table != "OrleansSiloInstances").ToDictionary(), Per: 2));
            // Reminders of bea and cid fire every minute; a minute past the first ticks is the steady state.
            await Task.Delay(TimeSpan.FromSeconds(70));
            await MeasureAsync("a quiet minute per mailbox (reminder tick, membership, schedule)",
                () => Task.Delay(TimeSpan.FromSeconds(60)), per: 2);
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }
        Print(rows);
    }

    private static async Task QuietAsync(StorageRequests ledger)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (ledger.SinceLastRequest < Settled) await Task.Delay(200, deadline.Token);
    }

    private static void Print(List<Row> rows)
    {
        Console.WriteLine("Storage requests per operation (Azurite; reads/writes in entities; membership = OrleansSiloInstances)");
        Console.WriteLine($"{"operation",-66} {"requests",8} {"ent. read",9} {"ent. written",12}  busiest partition (entities)   by table");
        foreach (var row in rows)
        {
            var requests = row.Requests.Values.Sum() / (double)row.Per;
            var read = row.Entities.Values.Sum(e => e.Read) / (double)row.Per;
            var written = row.Entities.Values.Sum(e => e.Written) / (double)row.Per;
            var busiest = row.Entities.OrderByDescending(e => e.Value.Total).FirstOrDefault();
            var tables = string.Join(", ", row.Requests.GroupBy(r => r.Key.Table).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} {string.Join("+", g.OrderBy(r => r.Key.Method).Select(r => $"{r.Value}{r.Key.Method[0]}"))}"));
            Console.WriteLine($"{row.Operation,-66} {requests,8:0.#} {read,9:0.#} {written,12:0.#}  "
                + $"{(busiest.Key.Table is null ? "-" : $"{busiest.Key.Table}/{Short(busiest.Key.Partition)} {busiest.Value.Total}"),-30} {tables}");
        }
        Console.WriteLine("(by table: request counts by method, G=GET P=POST/PUT/PATCH M=MERGE D=DELETE; a batch is one POST to $batch)");
    }

    private static string Short(string partition) => partition.Length <= 24 ? partition : partition[..21] + "...";

    private static Dictionary<string, string?> Settings() => new(TestSecrets.Settings.Concat(TestCertificates.Cluster.HostSettings("bench")))
    {
        ["Storage:ConnectionString"] = TestServices.Current.TablesConnectionString,
        ["Orleans:ServiceId"] = $"storage-{Guid.NewGuid():N}",
        ["Orleans:ClusterId"] = "storage",
        ["MailSync:AllowPrivateImapHosts"] = "true",
        ["MailSync:AllowAnyImapPort"] = "true",
        ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
        ["MailSync:PollInterval"] = "01:00:00", // no poll of its own while another operation is measured
        ["MailSync:ReminderPeriod"] = "00:01:00",
        ["MailSync:MaxWatchingSessionsPerSilo"] = "0", // no push: each pass is the one the operation asked for
        ["Webhooks:AllowHttp"] = "true",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static async Task<IHost> StartSiloAsync(Dictionary<string, string?> settings, StorageRequests ledger)
    {
        // Development: the servers on 127.0.0.1 and their free ports need the flags refused elsewhere.
        var builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
        });
        builder.Services.AddSingleton(ledger.Client(TestServices.Current.TablesConnectionString)); // before the cluster's own
        builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration).AddMailSyncGrains());
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
