using System.Diagnostics;
using MailSync.Grains.Hosting;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Shared.Cluster;
using MailSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailSync.Bench;

/// <summary>
/// Webhook deliveries per second to one receiver on loopback (Kestrel, verifying every signature), from a silo as
/// production builds it on the test Azurite. (a) End to end: mailboxes connect to a server nobody listens on, each making
/// three status changes (NotConfigured → Pending → Enabled → Error) until 10,000 are made; the figure is deliveries over
/// the time from the first connect to the last delivery. (b) The delivery path alone: 10,000 status changes handed to the
/// company's log as mailboxes hand them (100 a call), delivered in order one at a time.
/// </summary>
public static class WebhookBenchmark
{
    private const int Changes = 10_000;
    private const int ChangesPerMailbox = 3;

    public static async Task RunAsync()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var host = await StartSiloAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        Console.WriteLine($"webhooks: {Changes:N0} status changes to one receiver on 127.0.0.1 (signatures verified by the receiver)");
        var e2e = await EndToEndAsync(grains, receiver);
        var alone = await DeliveryPathAsync(grains, receiver);
        Console.WriteLine($"(a) end to end through mailbox grains: {e2e.Rate:N0} deliveries/s ({Changes:N0} in {e2e.Wall.TotalSeconds:N1} s; changes made at {e2e.MadeRate:N0}/s; the last delivered {e2e.Lag.TotalMilliseconds:N0} ms after the last change)");
        Console.WriteLine($"(b) delivery path alone:               {alone.Rate:N0} deliveries/s ({Changes:N0} in {alone.Wall.TotalSeconds:N1} s; {alone.Usage})");
        if (receiver.Requests.Any(r => !r.SignatureVerified)) Console.WriteLine("WARNING: a signature did not verify");
        await host.StopAsync();
    }

    private static async Task<(double Rate, TimeSpan Wall, double MadeRate, TimeSpan Lag)> EndToEndAsync(IGrainFactory grains, WebhookReceiver receiver)
    {
        var company = $"bench-{Guid.NewGuid():N}";
        var mailboxes = (Changes + ChangesPerMailbox - 1) / ChangesPerMailbox;
        await grains.GetGrain<Grains.Interfaces.Companies.ICompanyGrain>(company).Upsert("Bench", mailboxes);
        await grains.GetGrain<ICompanyWebhooksGrain>(company).Put("crm", new WebhookSubscriptionInput(receiver.Url, [WebhookEventTypes.StatusChanged], receiver.Secret));
        var start = receiver.AcceptedCount;
        var closedPort = FreePort.Next();
        var wall = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, mailboxes).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var user = $"u{i:D5}";
                var mailbox = grains.GetGrain<IMailboxGrain>($"{company}/{user}");
                await mailbox.Connect(new MailboxCredentials(MailboxProvider.Custom, $"{user}@bench.test", user, "pw",
                    new ImapEndpoint("127.0.0.1", closedPort, ImapSecurity.Ssl)));
                while ((await mailbox.GetStatus()).Status != MailboxStatus.Error) await Task.Delay(20);
            }
            finally
            {
                gate.Release();
            }
        }));
        var made = wall.Elapsed;
        var total = mailboxes * ChangesPerMailbox;
        await Poll.UntilAsync(() => Task.FromResult(receiver.AcceptedCount - start), n => n >= total, TimeSpan.FromMinutes(20), "every change delivered");
        wall.Stop();
        return (total / wall.Elapsed.TotalSeconds, wall.Elapsed, total / made.TotalSeconds, wall.Elapsed - made);
    }

    private static async Task<(double Rate, TimeSpan Wall, ResourceUsage Usage)> DeliveryPathAsync(IGrainFactory grains, WebhookReceiver receiver)
    {
        var company = $"bench-{Guid.NewGuid():N}";
        await grains.GetGrain<Grains.Interfaces.Companies.ICompanyGrain>(company).Upsert("Bench", 1);
        var log = grains.GetGrain<ICompanyWebhooksGrain>(company);
        await log.Put("crm", new WebhookSubscriptionInput(receiver.Url, [WebhookEventTypes.StatusChanged], receiver.Secret));
        var start = receiver.AcceptedCount;
        var at = DateTimeOffset.UtcNow;
        var measured = await Measurement.OfAsync(async () =>
        {
            for (var batch = 0; batch < Changes / 100; batch++)
            {
                var user = $"u{batch:D3}";
                await log.Append([.. Enumerable.Range(0, 100).Select(n => new MailboxEvent($"evt_bench_{batch}_{n}", WebhookEventTypes.StatusChanged, user, at,
                    $"{{\"companyId\":\"{company}\",\"userId\":\"{user}\",\"oldStatus\":\"Enabled\",\"newStatus\":\"Error\",\"lastError\":null}}",
                    MailboxStatus.Enabled, MailboxStatus.Error))]);
            }
            await Poll.UntilAsync(() => Task.FromResult(receiver.AcceptedCount - start), n => n >= Changes, TimeSpan.FromMinutes(20), "every change delivered");
        });
        return (Changes / measured.Wall.TotalSeconds, measured.Wall, measured.Usage);
    }

    /// <summary>A silo as production builds it on the test servers' Azurite, allowed to deliver to http on loopback.</summary>
    private static async Task<IHost> StartSiloAsync()
    {
        // Development: the servers on 127.0.0.1 and their free ports need the flags refused elsewhere.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(TestSecrets.Settings.Concat(TestCertificates.Cluster.HostSettings("bench")))
        {
            ["Storage:ConnectionString"] = TestServices.Current.TablesConnectionString,
            ["Orleans:ServiceId"] = $"bench-{Guid.NewGuid():N}",
            ["Orleans:ClusterId"] = "bench",
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
            ["MailSync:AllowPrivateImapHosts"] = "true",
            ["MailSync:AllowAnyImapPort"] = "true",
            ["Webhooks:AllowHttp"] = "true",
        });
        builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration).AddMailSyncGrains());
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
