using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Shared.Storage;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Foundation;

/// <summary>
/// What operations ask of Table storage, counted on the silo's own client (the figures of <c>scripts/bench.sh storage</c>
/// and docs/capacity.md): the ones the capacity model leans on most.
/// </summary>
[Trait("Category", "Servers")]
public sealed class StorageCostTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Orleans' membership heartbeats go on whatever the operation; they are not its cost.</summary>
    private const string Membership = "OrleansSiloInstances";

    private static int Writes(StorageRequests ledger) =>
        ledger.Requests.Where(r => r.Key.Method != "GET" && r.Key.Table != Membership).Sum(r => r.Value);

    /// <summary>
    /// Storage has had no request for a second since the operation answered: what it wrote behind its answer (a grain's state
    /// is read before its write lands) has landed.
    /// </summary>
    private static Task SettledAsync(StorageRequests ledger)
    {
        var answered = Environment.TickCount64;
        return Poll.UntilAsync(() => Task.FromResult(ledger.SinceLastRequest),
            quiet => quiet > TimeSpan.FromSeconds(1) && Environment.TickCount64 - answered > 1000, Deadline, "storage quiet");
    }

    /// <summary>A running silo whose storage requests <paramref name="ledger"/> counts, polling only when the test asks.</summary>
    private static async Task<AzuriteSilo> AskedPollsSiloAsync(StorageRequests ledger, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["MailSync:PollInterval"] = "01:00:00",
        };
        foreach (var (key, value) in more) settings[key] = value;
        var silo = new AzuriteSilo(settings, services => services.AddSingleton(ledger.Client(TestServices.Current.TablesConnectionString)));
        await silo.StartAsync();
        return silo;
    }

    /// <summary>A company of 5 seats with one Dovecot mailbox connected and synced once.</summary>
    private static async Task<(TestCompany Company, string User)> ConnectedAsync(AzuriteSilo silo, string prefix)
    {
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 5);
        var (user, password) = Dovecot.CreateUser(prefix);
        await company.Mailbox(user).Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(() => company.Status(user), v => v.LastSyncAt is not null, Deadline, "first sync");
        return (company, user);
    }

    [Fact]
    public async Task Grain_state_goes_to_its_own_account_and_everything_else_stays_on_the_main_one()
    {
        var main = new StorageRequests();
        var grainState = new StorageRequests();
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
        };
        await using var silo = new AzuriteSilo(settings, services =>
        {
            services.AddSingleton(main.Client(TestServices.Current.TablesConnectionString));
            services.AddKeyedSingleton(StorageSettings.GrainStateClientKey, grainState.Client(TestServices.Current.TablesConnectionString));
        });
        await silo.StartAsync();

        await ConnectedAsync(silo, "accounts");
        await SettledAsync(main);

        Assert.True(grainState.Of("POST", "OrleansGrainState") + grainState.Of("PUT", "OrleansGrainState") > 0);
        Assert.Equal(0, main.Requests.Where(r => r.Key.Table == "OrleansGrainState").Sum(r => r.Value));
        Assert.Equal(0, grainState.Requests.Where(r => r.Key.Table is not ("OrleansGrainState" or "Tables")).Sum(r => r.Value));
        Assert.Contains(main.Requests.Keys, r => r.Table == "MailSyncCompanyUsers"); // the company's rows stay on the main account
    }

    [Fact]
    public async Task A_webhook_that_events_keep_coming_to_delivers_them_without_a_reminder_request_per_round()
    {
        var ledger = new StorageRequests();
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings()) { ["Webhooks:AllowHttp"] = "true" };
        await using var silo = new AzuriteSilo(settings,
            services => services.AddSingleton(ledger.Client(TestServices.Current.TablesConnectionString)));
        await silo.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var company = $"co-{Guid.NewGuid():N}";
        var log = silo.Grains.GetGrain<ICompanyWebhooksGrain>(company);
        await log.Put("crm", new WebhookSubscriptionInput(receiver.Url, [WebhookEventTypes.StatusChanged], receiver.Secret));
        async Task DeliverAsync(int n)
        {
            await log.Append([new MailboxEvent($"evt_round_{n}_{Guid.NewGuid():N}", WebhookEventTypes.StatusChanged, "ann",
                DateTimeOffset.UtcNow, $"{{\"companyId\":\"{company}\",\"userId\":\"ann\",\"oldStatus\":\"Enabled\",\"newStatus\":\"Error\",\"lastError\":null}}",
                MailboxStatus.Enabled, MailboxStatus.Error)]);
            await Poll.UntilAsync(() => Task.FromResult(receiver.AcceptedCount), c => c >= n, Deadline, $"round {n} delivered");
            await SettledAsync(ledger);
        }
        await DeliverAsync(1); // the first round takes the reminder

        ledger.Reset();
        await DeliverAsync(2);
        await DeliverAsync(3);

        // Writes only: the silo's reminder service reads its range of the table on its own schedule (a flaky GET here).
        Assert.Equal(0, ledger.Requests.Where(r => r.Key.Table == "OrleansReminders" && r.Key.Method != "GET").Sum(r => r.Value));
        Assert.Equal(2, ledger.EntitiesOf("MailSyncEvents").Written);
    }

    [Fact]
    public async Task A_quiet_poll_writes_nothing_and_a_seat_grant_writes_one_entity()
    {
        var ledger = new StorageRequests();
        await using var silo = await AskedPollsSiloAsync(ledger, ("MailSync:MaxWatchingSessionsPerSilo", "0"));
        var (company, user) = await ConnectedAsync(silo, "quiet");
        async Task QuietPollAsync()
        {
            var before = (await company.Status(user)).LastSyncAt;
            await company.Mailbox(user).MailArrived();
            await Poll.UntilAsync(() => company.Status(user), v => v.LastSyncAt > before, Deadline, "quiet poll");
            await SettledAsync(ledger);
        }
        await QuietPollAsync(); // the first after the connect settles the schedule

        ledger.Reset();
        await QuietPollAsync();
        var quietPollWrites = Writes(ledger);

        ledger.Reset();
        Assert.True((await company.Grain.RequestSeat("seat-only")).Granted);
        await SettledAsync(ledger);

        Assert.Equal(0, quietPollWrites);
        Assert.Equal(1, ledger.EntitiesByPartition.Where(e => e.Key.Table != Membership).Sum(e => e.Value.Written));
        Assert.Equal(1, Writes(ledger));
    }

    [Fact]
    public async Task A_poll_that_finds_a_leads_message_writes_the_mailboxs_state_once()
    {
        var ledger = new StorageRequests();
        await using var silo = await AskedPollsSiloAsync(ledger);
        var (company, user) = await ConnectedAsync(silo, "onemsg");
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lee", "lee@lead.example", "Lee")]);
        await Poll.UntilAsync(silo.Grains.GetGrain<ILeadBackfillGrain>(company.Id).GetProgress, p => p.Round == 1 && !p.Running,
            Deadline, "the new lead's backfill round over");
        await SettledAsync(ledger);
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "Hello", DateTimeOffset.UtcNow.AddMinutes(-5)));

        ledger.Reset();
        await company.Mailbox(user).MailArrived();
        await Poll.UntilAsync(() => company.Status(user), v => v.MessagesSynced == 1, Deadline, "the message synced");
        await SettledAsync(ledger);

        // Its cursor is stored with the pass's outcome: one write of the state, not a commit and then the outcome's.
        Assert.Equal(1, ledger.Requests.Where(r => r.Key.Table == "OrleansGrainState" && r.Key.Method != "GET").Sum(r => r.Value));
        Assert.Equal(1, ledger.EntitiesOf("MailSyncTimeline").Written);
    }
}
