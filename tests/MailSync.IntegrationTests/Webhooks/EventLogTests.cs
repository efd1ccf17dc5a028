using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Webhooks;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Shared.Time;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.IntegrationTests.Webhooks;

/// <summary>
/// Every event reaches every consumer, on a real silo on Azurite: a batch of many leads and a long catch-up drop none, a
/// log write whose answer was lost neither reuses its position nor logs its events twice, and a consumer the retention
/// overtook is told (a gap for the change feed, an events-missed event for a webhook), never left to skip unaware.
/// </summary>
[Trait("Category", "Servers")]
public sealed class EventLogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The delivery tests' settings, with Dovecot trusted and sync now as often as a test asks.</summary>
    private static Dictionary<string, string?> Settings() => new(WebhookDeliveryTests.Settings())
    {
        ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
        ["MailSync:SyncNowCooldown"] = "00:00:00.001",
    };

    private static void FastReminders(IServiceCollection services) => WebhookDeliveryTests.FastReminders(services);

    private static Task Subscribe(IGrainFactory grains, string company, WebhookReceiver receiver, params string[] events) =>
        grains.GetGrain<ICompanyWebhooksGrain>(company).Put("crm", new WebhookSubscriptionInput(receiver.Url, events, receiver.Secret));

    /// <summary>A Dovecot mailbox of a company with the given leads, connected and synced once (empty).</summary>
    private static async Task<(TestCompany Company, string User, IMailboxGrain Mailbox)> ConnectedAsync(AzuriteSilo silo, IEnumerable<Lead> leads)
    {
        var (user, password) = Dovecot.CreateUser("events");
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([.. leads]);
        var mailbox = company.Mailbox(user);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.LastSyncAt is not null, Deadline, "the first (empty) sync");
        return (company, user, mailbox);
    }

    [Fact]
    public async Task One_email_copying_150_leads_is_announced_once_to_each_of_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var silo = new AzuriteSilo(Settings(), FastReminders);
        await silo.StartAsync();
        var leads = Enumerable.Range(0, 150).Select(i => new Lead($"lead{i:D3}", $"lead{i:D3}@lead.example", null)).ToList();
        var (company, user, mailbox) = await ConnectedAsync(silo, leads);
        await Subscribe(silo.Grains, company.Id, receiver, WebhookEventTypes.MessageAdded);

        Dovecot.Plant(user, Mail.Message("partner@elsewhere.example", [Dovecot.Address(user)], "the whole list", DateTimeOffset.UtcNow.AddMinutes(-1),
            cc: [.. leads.Select(l => l.Email)]));
        await mailbox.SyncNow();

        var added = await Poll.UntilAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 150, Deadline, "150 announcements");
        Assert.Equal(150, added.Select(d => d.Data.GetProperty("leadId").GetString()).Distinct().Count());
        Assert.Equal(150, added.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_catch_up_of_10000_emails_announces_every_one_and_the_change_feed_still_mirrors_the_status()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var silo = new AzuriteSilo(Settings(), FastReminders);
        await silo.StartAsync();
        var (company, user, mailbox) = await ConnectedAsync(silo, [new Lead("lee", "lee@lead.example", null)]);
        await Subscribe(silo.Grains, company.Id, receiver, WebhookEventTypes.MessageAdded, WebhookEventTypes.StatusChanged);

        var sent = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < 10_000; i++)
            Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], $"catch-up {i}", sent, messageId: $"catch-{i}@lead.example"));
        await mailbox.SyncNow();

        var added = await Poll.UntilAsync(
            () => Task.FromResult(receiver.Accepted.Where(d => d.Type == WebhookEventTypes.MessageAdded).ToList()),
            a => a.Count >= 10_000, TimeSpan.FromMinutes(4), "10,000 announcements");
        Assert.Equal(10_000, added.Select(d => d.Data.GetProperty("message").GetProperty("subject").GetString()).Distinct().Count());
        var feed = await silo.Grains.GetGrain<IChangeFeedGrain>(company.Id).GetChanges(null, 1000);
        Assert.Equal([(MailboxStatus.NotConfigured, MailboxStatus.Pending), (MailboxStatus.Pending, MailboxStatus.Enabled)],
            feed.Items.Where(c => c.UserId == user).Select(c => (c.OldStatus, c.NewStatus)));
        Assert.Equal(MailboxStatus.Enabled, (await mailbox.GetStatus()).Status);
    }

    [Fact]
    public async Task A_log_write_whose_answer_was_lost_keeps_its_positions_and_its_retry_logs_nothing_twice()
    {
        await using var silo = new AzuriteSilo(Settings(), services => FastReminders(services.AddSingleton<ICompanyRows>(sp =>
            new EventLogOutage(new AzureCompanyRows(new MailSyncTables(sp.GetRequiredService<TableServiceClient>()))) { Down = false })));
        await silo.StartAsync();
        var log = (EventLogOutage)silo.Services.GetRequiredService<ICompanyRows>();
        var company = $"co-{Guid.NewGuid():N}";
        var writer = silo.Grains.GetGrain<ICompanyWebhooksGrain>(company);
        var feed = silo.Grains.GetGrain<IChangeFeedGrain>(company);
        var ann = Change("ann", 1);
        var bob = Change("bob", 1);

        log.AnswersToLose = 1;
        await Assert.ThrowsAnyAsync<Exception>(() => writer.Append([ann])); // committed, but the mailbox is told it failed
        var read = await feed.GetChanges(null, 100); // a reader sees ann's change
        Assert.Equal(["ann"], read.Items.Select(c => c.UserId));
        await writer.Append([bob]); // another mailbox's change next
        await writer.Append([ann]); // ann's mailbox hands its change off again

        var after = await feed.GetChanges(read.Next, 100);
        Assert.Equal(["bob"], after.Items.Select(c => c.UserId)); // the reader misses nothing and gets nothing twice
        var rows = await Rows(silo, company);
        Assert.Equal([ann.Id, bob.Id], rows.Select(r => r.GetString("EventId")));
    }

    [Fact]
    public async Task A_consumer_the_retention_overtook_is_told_a_feed_cursor_gets_a_gap_and_a_resumed_webhook_an_events_missed_event()
    {
        var settings = Settings();
        settings["Webhooks:Retention"] = "02:00:00";
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        await using var silo = new AzuriteSilo(settings, services =>
        {
            FastReminders(services);
            services.AddSingleton<IMailboxConnector>(new ScriptedConnector());
            services.AddSingleton(new MailSyncClock(time));
        }, s => s.AddGrainExtension<IMailboxTestHooks, MailboxTestHooks>().AddGrainExtension<IWebhookDeliveryTestHooks, WebhookDeliveryTestHooks>());
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 10);
        await Subscribe(silo.Grains, company.Id, receiver, WebhookEventTypes.StatusChanged);
        var delivery = silo.Grains.GetGrain<IWebhookDeliveryGrain>($"{company.Id}/crm");
        var feed = silo.Grains.GetGrain<IChangeFeedGrain>(company.Id);

        await company.Connect("ann"); // 08:00: two changes nobody receives (the receiver fails until the subscription pauses)
        var first = await Poll.UntilAsync(() => feed.GetChanges(null, 100), p => p.Items.Count == 2, Deadline, "ann's changes logged");
        await Poll.UntilAsync(async () =>
        {
            time.Advance(TimeSpan.FromMinutes(30));
            await delivery.AsReference<IWebhookDeliveryTestHooks>().Kick();
            return await delivery.GetStatus();
        }, s => s.Paused, Deadline, "paused");
        await company.Connect("bob"); // a day later: a new hourly mark
        await Poll.UntilAsync(() => feed.GetChanges(null, 100), p => p.Items.Count == 4, Deadline, "bob's changes logged");
        time.Advance(TimeSpan.FromHours(3));
        await company.Connect("carl"); // the retention removes ann's changes
        await Poll.UntilAsync(() => feed.GetChanges(null, 100), p => p.Items.Count == 4 && p.Items[0].UserId == "bob", Deadline, "ann's removed");

        var gap = await feed.GetChanges(first.Items[0].Position, 100);
        Assert.Empty(gap.Items);
        Assert.Equal(first.Items[^1].Position, gap.Gap);
        Assert.Equal(["bob", "bob", "carl", "carl"], (await feed.GetChanges(gap.Gap, 100)).Items.Select(c => c.UserId));

        receiver.AlwaysFail = false;
        await silo.Grains.GetGrain<ICompanyWebhooksGrain>(company.Id)
            .Put("crm", new WebhookSubscriptionInput(receiver.Url, [WebhookEventTypes.StatusChanged], null)); // resumes

        var accepted = await Poll.UntilAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 5, Deadline, "delivered after the resume");
        Assert.Equal(WebhookEventTypes.EventsMissed, accepted[0].Type);
        Assert.Contains("retention", accepted[0].Data.GetProperty("detail").GetString());
        Assert.Equal(["bob", "bob", "carl", "carl"], accepted.Skip(1).Select(d => d.Data.GetProperty("userId").GetString()));
    }

    private static MailboxEvent Change(string user, long sequence) => new(
        MailboxEventPayloads.EventId(new MailboxKey("co", user), sequence), WebhookEventTypes.StatusChanged, user, DateTimeOffset.UtcNow,
        "{}", MailboxStatus.NotConfigured, MailboxStatus.Pending);

    private static async Task<List<TableEntity>> Rows(AzuriteSilo silo, string company)
    {
        var rows = silo.Services.GetRequiredService<ICompanyRows>();
        return [.. (await rows.PageAsync(EventLog.Table, company, new RowQuery(1000, EventLog.RowKey(0)))).Rows];
    }
}
