using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Mailboxes;

/// <summary>
/// Disconnecting without keeping history removes every timeline entry the mailbox wrote, in saved chunks, also when
/// storage goes away or the silo stops in the middle; keeping history removes nothing. A real silo on Azurite.
/// </summary>
[Trait("Category", "Servers")]
public sealed class DisconnectForgetsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private static readonly TableClient Timeline =
        new TableServiceClient(TestServices.Current.TablesConnectionString).GetTableClient(AzureTimelineStore.TableName);

    /// <summary>A silo whose mailboxes remove 3 entries per step (or <paramref name="chunk"/>), with fast reminders and a scripted connector.</summary>
    private static IReadOnlyDictionary<string, string?> Settings(int chunk = 3, string? storage = null)
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:HistoryDeletionChunk"] = chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MailSync:ReminderPeriod"] = "00:00:02",
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
        };
        if (storage is not null) settings["Storage:ConnectionString"] = storage;
        return settings;
    }

    private static void FastReminders(IServiceCollection services) =>
        services.Configure<ReminderOptions>(o => (o.MinimumReminderPeriod, o.RefreshReminderListPeriod) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

    /// <summary>Mailboxes whose passes succeed without touching the timeline: what is there is what the test wrote.</summary>
    private static void Scripted(IServiceCollection services)
    {
        FastReminders(services);
        services.AddSingleton<IMailboxConnector>(new ScriptedConnector());
    }

    /// <summary>The user's history as a mailbox would have written it: <paramref name="count"/> entries over a few leads.</summary>
    private static async Task WriteHistoryAsync(string company, string user, int count)
    {
        var store = new AzureTimelineStore(new MailSyncTables(new TableServiceClient(TestServices.Current.TablesConnectionString)));
        var refused = await store.WriteAsync(company, [.. Enumerable.Range(0, count).Select(n => new TimelineEntry(
            $"lead{n % 7}", $"m{n}@x", $"subject {n}", new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).AddHours(n),
            MessageDirection.Received, $"lead{n % 7}@lead.example", [$"{user}@acme.test"], [], user))]);
        Assert.Empty(refused);
    }

    /// <summary>The user's entries in the company, read straight from Azurite (past any outage in front of it).</summary>
    private static async Task<int> EntriesAsync(string company, string user)
    {
        var start = TimelineKeys.CompanyStart(company);
        var count = 0;
        await foreach (var _ in Timeline.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {start} and PartitionKey lt {TimelineKeys.PrefixEnd(start)} and UserId eq {user}"),
            select: ["PartitionKey"]))
        {
            count++;
        }
        return count;
    }

    [Fact]
    public async Task Disconnect_without_keeping_history_removes_every_entry_over_many_chunks_and_leaves_other_users_alone()
    {
        await using var silo = new AzuriteSilo(Settings(chunk: 3), Scripted);
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 2);
        await WriteHistoryAsync(company.Id, "ann", 40);
        await WriteHistoryAsync(company.Id, "bob", 5);
        await company.Connect("ann");
        await company.Connect("bob");

        await company.Mailbox("ann").Disconnect(keepHistory: false);

        await Poll.UntilAsync(() => EntriesAsync(company.Id, "ann"), n => n == 0, Deadline, "ann's 40 entries removed");
        Assert.Equal(5, await EntriesAsync(company.Id, "bob"));
        Assert.Equal(MailboxStatus.NotConfigured, (await company.Status("ann")).Status);
        Assert.Empty(await company.Mailbox("ann").GetErrors(100));
    }

    [Fact]
    public async Task Disconnect_keeping_history_removes_nothing()
    {
        await using var silo = new AzuriteSilo(Settings(chunk: 3), Scripted);
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        await WriteHistoryAsync(company.Id, "ann", 10);
        await company.Connect("ann");

        await company.Mailbox("ann").Disconnect(keepHistory: true);
        await company.Connect("ann");
        await company.Mailbox("ann").Disconnect(keepHistory: true);

        Assert.Equal(10, await EntriesAsync(company.Id, "ann"));
        Assert.Equal(2, (await silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id).GetPage("lead0", 50, null)).Items.Count);
    }

    [Fact]
    public async Task Storage_going_away_in_the_middle_of_the_removal_still_ends_with_every_entry_removed_and_an_empty_error_log()
    {
        var tables = TestServices.Current.TablesConnectionString;
        var azuritePort = new Uri(tables.Split(';').First(p => p.StartsWith("TableEndpoint=", StringComparison.Ordinal))["TableEndpoint=".Length..]).Port;
        await using var storage = new OutageProxy(azuritePort);
        await using var silo = new AzuriteSilo(
            Settings(chunk: 1, storage: tables.Replace($"127.0.0.1:{azuritePort}", $"127.0.0.1:{storage.Port}", StringComparison.Ordinal)), Scripted);
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        await WriteHistoryAsync(company.Id, "ann", 300);
        await company.Connect("ann");

        await company.Mailbox("ann").Disconnect(keepHistory: false);
        await storage.CutAsync();
        var atTheCut = await EntriesAsync(company.Id, "ann");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outage's length, not a wait for a state: steps fail meanwhile
        storage.Restore();

        await Poll.UntilAsync(() => EntriesAsync(company.Id, "ann"), n => n == 0, Deadline, "every entry removed after the outage");
        Assert.InRange(atTheCut, 1, 299); // the outage came in the middle: some removed before it, some after
        Assert.Equal(MailboxStatus.NotConfigured, (await company.Status("ann")).Status);
        Assert.Empty(await company.Mailbox("ann").GetErrors(100));
    }

    [Fact]
    public async Task A_silo_stopped_in_the_middle_of_the_removal_is_followed_by_one_that_finishes_it_unasked()
    {
        var settings = Settings(chunk: 1);
        var company = $"co-{Guid.NewGuid():N}";
        await WriteHistoryAsync(company, "ann", 300);
        int atTheStop;
        await using (var first = new AzuriteSilo(settings, Scripted))
        {
            await first.StartAsync();
            var grains = new TestCompany(first.Grains, company);
            await grains.Grain.Upsert("Acme", 1);
            await grains.Connect("ann");
            await grains.Mailbox("ann").Disconnect(keepHistory: false);
            await first.StopAsync();
            atTheStop = await EntriesAsync(company, "ann");
        }

        // Nobody calls the mailbox: its reminder brings it back on the next silo.
        await using var second = new AzuriteSilo(settings, Scripted);
        await second.StartAsync();

        await Poll.UntilAsync(() => EntriesAsync(company, "ann"), n => n == 0, Deadline, "the rest removed by the next silo");
        Assert.InRange(atTheStop, 1, 299);
        Assert.Empty(await new TestCompany(second.Grains, company).Mailbox("ann").GetErrors(100));
    }

    [Fact]
    public async Task A_reconnect_while_history_is_still_being_removed_keeps_what_is_synced_after_it()
    {
        await using var silo = new AzuriteSilo(Settings(chunk: 1), FastReminders);
        await silo.StartAsync();
        var (user, password) = Dovecot.CreateUser("forget");
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lee", "lee@lead.example", null)]);
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "after the reconnect", DateTimeOffset.UtcNow.AddHours(-1)));
        await WriteHistoryAsync(company.Id, user, 300);
        var mailbox = company.Mailbox(user);

        await mailbox.Disconnect(keepHistory: false);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        var atTheReconnect = await EntriesAsync(company.Id, user);

        var synced = await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 1, Deadline, "synced after the old history went");
        var lee = await silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id).GetPage("lee", 50, null);
        Assert.InRange(atTheReconnect, 2, 300); // the reconnect came while the old history was still there
        Assert.Equal(MailboxStatus.Enabled, synced.Status);
        Assert.Equal(["after the reconnect"], lee.Items.Select(e => e.Subject));
        Assert.Equal(1, await EntriesAsync(company.Id, user));
    }
}
