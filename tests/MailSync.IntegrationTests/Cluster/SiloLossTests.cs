using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Xunit.Abstractions;

namespace MailSync.IntegrationTests.Cluster;

/// <summary>
/// Three silo processes on Azurite and Dovecot, 30 mailboxes polling every 2 s, reminders at their 5-minute default (so
/// only the schedule keepers can bring mailboxes back quickly). After kill -9 of a silo, a rolling restart and a cold
/// restart, one new message per mailbox must reach its lead's timeline within 15 s, once, with no error-log entry and no
/// mailbox in Error.
/// </summary>
[Trait("Category", "Servers")]
public sealed class SiloLossTests(ITestOutputHelper output)
{
    private const int Mailboxes = 30;
    /// <summary>
    /// Generous for a slow machine, yet far below the 5-minute reminder backstop: only the schedule keepers bring the
    /// mailboxes back this soon. How many seconds it takes is measured by <c>scripts/bench.sh cluster</c>, not asserted here.
    /// </summary>
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Mail_keeps_reaching_timelines_within_seconds_after_kill_9_a_rolling_restart_and_a_cold_restart()
    {
        await using var cluster = new SiloProcesses(new Dictionary<string, string>
        {
            ["MailSync__PollInterval"] = "00:00:02",
            ["MailSync__AllowPrivateImapHosts"] = "true",
            ["MailSync__AllowAnyImapPort"] = "true",
            ["MailSync__TrustedCertificateThumbprints__0"] = Dovecot.CertificateThumbprint,
        });
        for (var i = 0; i < 3; i++) await cluster.StartSiloAsync();
        var company = new TestCompany(cluster.Grains);
        await company.Grain.Upsert("Acme", Mailboxes);
        var users = Enumerable.Range(0, Mailboxes).Select(i => (Index: i, Account: Dovecot.CreateUser($"c{i}"))).ToList();
        await cluster.Grains.GetGrain<ILeadDirectoryGrain>(company.Id)
            .Upsert([.. users.Select(u => new Lead(LeadId(u.Index), LeadAddress(u.Index), null))]);
        foreach (var (i, (user, password)) in users) await company.Mailbox(UserId(i)).Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(() => Task.WhenAll(users.Select(u => company.Status(UserId(u.Index)))),
            views => views.All(v => v is { Status: MailboxStatus.Enabled, LastSyncAt: not null }), TimeSpan.FromSeconds(60), "all mailboxes synced once");

        await cluster.KillAsync(cluster.Running[0]);
        await DeliverAndExpectAsync(cluster, company, users, "after-kill");

        await cluster.StartSiloAsync();
        foreach (var silo in cluster.Running.ToList())
        {
            await cluster.StopAsync(silo);
            await cluster.StartSiloAsync();
        }
        await DeliverAndExpectAsync(cluster, company, users, "after-rolling-restart");

        foreach (var silo in cluster.Running.ToList()) await cluster.StopAsync(silo);
        for (var i = 0; i < 3; i++) await cluster.StartSiloAsync();
        await DeliverAndExpectAsync(cluster, company, users, "after-cold-restart");

        foreach (var (i, _) in users)
        {
            var errors = await company.Mailbox(UserId(i)).GetErrors(50);
            Assert.True(errors.Count == 0, $"{UserId(i)} logged {string.Join("; ", errors.Select(e => $"{e.Code}: {e.Detail}"))}");
        }
    }

    /// <summary>Plants one message per mailbox, then waits for all of them on their timelines and checks each is there once.</summary>
    private async Task DeliverAndExpectAsync(SiloProcesses cluster, TestCompany company, List<(int Index, (string User, string Password) Account)> users, string scenario)
    {
        var delivered = DateTimeOffset.UtcNow;
        foreach (var (i, (user, _)) in users)
            Dovecot.Plant(user, Mail.Message(LeadAddress(i), [Dovecot.Address(user)], $"{scenario} {i}", DateTimeOffset.UtcNow));
        var reader = cluster.Grains.GetGrain<ITimelineReaderGrain>(company.Id);
        var arrived = new Dictionary<int, TimeSpan>();

        try
        {
            await Poll.UntilAsync(async () =>
            {
                var waiting = users.Select(u => u.Index).Where(i => !arrived.ContainsKey(i));
                foreach (var i in await TimelineArrivals.ShownAsync(reader, waiting, LeadId, i => $"{scenario} {i}")) arrived[i] = DateTimeOffset.UtcNow - delivered;
                return arrived.Count;
            }, count => count == Mailboxes, DeliveryDeadline, $"{scenario}: messages on their timelines");
        }
        catch (TimeoutException late)
        {
            var missing = await Task.WhenAll(users.Where(u => !arrived.ContainsKey(u.Index)).Select(u => company.Status(UserId(u.Index))));
            throw new TimeoutException($"{late.Message}; missing: {string.Join("; ", missing.Select(v => $"{v.UserId} {v.Status} last sync {v.LastSyncAt:O} next {v.NextAttemptAt:O}"))} (now {DateTimeOffset.UtcNow:O})", late);
        }

        var times = arrived.Values.Order().ToList();
        output.WriteLine($"{scenario}: p50 {times[times.Count / 2].TotalSeconds:F1} s, max {times[^1].TotalSeconds:F1} s");
        foreach (var (i, _) in users)
        {
            var page = await reader.GetPage(LeadId(i), 50, null);
            Assert.Single(page.Items, e => e.Subject == $"{scenario} {i}");
            // Healing may still route the client to the dead silo for a moment: a read that meets it is asked again.
            var view = await Poll.UntilAsync(() => TryAsync(() => company.Status(UserId(i))), v => v is not null, DeliveryDeadline, $"{UserId(i)} answers");
            Assert.NotEqual(MailboxStatus.Error, view!.Status);
        }
    }

    /// <summary>A read that meets the cluster healing is asked again on the next round.</summary>
    private static async Task<T?> TryAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return null;
        }
    }

    private static string UserId(int i) => $"user-{i}";

    private static string LeadId(int i) => $"lead-{i}";

    private static string LeadAddress(int i) => $"lead{i}@lead.example";
}
