using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Shared.Time;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.IntegrationTests.Webhooks;

/// <summary>
/// Signed webhook deliveries from a real silo on Azurite to a loopback receiver on Kestrel: signatures verify, each
/// mailbox's events come in order, a receiver answering 500 gets the event again, a receiver failing for 24 h pauses the
/// subscription (a PUT resumes it), and a silo stopped between a change and its delivery is followed by one that delivers it.
/// </summary>
[Trait("Category", "Servers")]
public sealed class WebhookDeliveryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static readonly string[] AllEvents = [.. WebhookEventTypes.All];

    private readonly ScriptedConnector connector = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    internal static Dictionary<string, string?> Settings() => new(AzuriteSilo.NewSettings())
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:ReminderPeriod"] = "00:00:02",
        ["MailSync:ReminderPeriod"] = "00:00:02",
    };

    internal static void FastReminders(IServiceCollection services) =>
        services.Configure<ReminderOptions>(o => (o.MinimumReminderPeriod, o.RefreshReminderListPeriod) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

    /// <summary>A silo with the scripted connector, the fake clock (unless <paramref name="realTime"/>) and the test hooks.</summary>
    private AzuriteSilo Silo(IReadOnlyDictionary<string, string?> settings, bool realTime = false, Action<IServiceCollection>? more = null) => new(settings, services =>
    {
        FastReminders(services);
        more?.Invoke(services);
        services.AddSingleton<IMailboxConnector>(connector);
        if (!realTime) services.AddSingleton(new MailSyncClock(time));
    }, silo => silo.AddGrainExtension<IMailboxTestHooks, MailboxTestHooks>().AddGrainExtension<IWebhookDeliveryTestHooks, WebhookDeliveryTestHooks>());

    private static Task Subscribe(IGrainFactory grains, string company, string id, WebhookReceiver receiver, string[]? events = null, string? url = null) =>
        grains.GetGrain<ICompanyWebhooksGrain>(company).Put(id, new WebhookSubscriptionInput(url ?? receiver.Url, events ?? AllEvents, receiver.Secret));

    private static IWebhookDeliveryGrain Delivery(IGrainFactory grains, string company, string id) =>
        grains.GetGrain<IWebhookDeliveryGrain>($"{company}/{id}");

    /// <summary>The accepted status changes of one user, as (old, new).</summary>
    private static List<(string Old, string New)> Changes(WebhookReceiver receiver, string user) =>
        [.. receiver.Accepted.Where(d => d.Type == WebhookEventTypes.StatusChanged && d.Data.GetProperty("userId").GetString() == user)
            .Select(d => (d.Data.GetProperty("oldStatus").GetString()!, d.Data.GetProperty("newStatus").GetString()!))];

    [Fact]
    public async Task Deliveries_are_signed_and_each_mailboxs_events_arrive_in_the_order_they_happened()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var silo = Silo(Settings());
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 10);
        await Subscribe(silo.Grains, company.Id, "crm", receiver);
        string[] users = ["ann", "bob", "cy"];

        await Task.WhenAll(users.Select(async user =>
        {
            await company.Connect(user); // NotConfigured → Pending → Enabled
            await Poll.UntilAsync(() => company.Status(user), v => v.LastSyncAt is not null, Deadline, $"{user}'s first pass");
            connector.Fail(company.Key(user), MailboxErrorCode.AuthenticationFailed);
            await company.Mailbox(user).SyncNow(); // Enabled → Error, with an error-log entry
            await company.Wake(user);
            connector.Succeed(company.Key(user));
            lock (time) time.Advance(TimeSpan.FromMinutes(2)); // past the sync-now cooldown
            await company.Mailbox(user).SyncNow(); // Error → Enabled
            await company.Wake(user);
        }));

        (string, string)[] expected = [("NotConfigured", "Pending"), ("Pending", "Enabled"), ("Enabled", "Error"), ("Error", "Enabled")];
        foreach (var user in users)
            await Poll.UntilAsync(() => Task.FromResult(Changes(receiver, user)), c => c.Count >= 4, Deadline, $"{user}'s four status changes");
        Assert.All(users, user => Assert.Equal(expected, Changes(receiver, user)));
        Assert.All(receiver.Requests, d => Assert.True(d.SignatureVerified, $"signature of {d.Id}"));
        var errors = receiver.Accepted.Where(d => d.Type == WebhookEventTypes.Error).ToList();
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Equal("AuthenticationFailed", e.Data.GetProperty("error").GetProperty("code").GetString()));
        var error = receiver.Accepted.First(d => d.Type == WebhookEventTypes.StatusChanged && d.Data.GetProperty("newStatus").GetString() == "Error");
        Assert.Equal("AuthenticationFailed", error.Data.GetProperty("lastError").GetProperty("code").GetString());
        Assert.Equal(receiver.Accepted.Count, receiver.Accepted.Select(d => d.Id).Distinct().Count());
        // The body's id is the Webhook-Id header: receivers deduplicate on it.
        Assert.All(receiver.Accepted, d => Assert.Equal(d.Id, d.Json.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_receiver_that_answers_500_twice_gets_the_same_event_on_the_third_attempt_and_the_attempts_are_listed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var silo = Silo(Settings());
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 10);
        await Subscribe(silo.Grains, company.Id, "crm", receiver, [WebhookEventTypes.StatusChanged]);
        receiver.FailNext(2);

        await company.Connect("ann");

        var hooks = Delivery(silo.Grains, company.Id, "crm").AsReference<IWebhookDeliveryTestHooks>();
        await Poll.UntilAsync(async () =>
        {
            // The retry waits its back-off on the mail-sync clock: move it on and kick the delivery as its timer would.
            time.Advance(TimeSpan.FromMinutes(1));
            await hooks.Kick();
            return receiver.Accepted.Count;
        }, n => n >= 2, Deadline, "both status changes accepted");

        var first = receiver.Requests.Take(3).ToList();
        Assert.Equal([500, 500, 200], first.Select(d => d.Answered));
        Assert.Single(first.Select(d => d.Id).Distinct());
        Assert.Equal([("NotConfigured", "Pending"), ("Pending", "Enabled")], Changes(receiver, "ann"));
        var attempts = await Delivery(silo.Grains, company.Id, "crm").GetAttempts(10);
        var ofFirst = attempts.Where(a => a.EventId == first[0].Id).OrderBy(a => a.Attempt).ToList();
        Assert.Equal([(1, false, (int?)500), (2, false, 500), (3, true, 200)], ofFirst.Select(a => (a.Attempt, a.Succeeded, a.StatusCode)));
        Assert.False((await Delivery(silo.Grains, company.Id, "crm").GetStatus()).Paused);
    }

    [Fact]
    public async Task A_receiver_failing_for_24_hours_pauses_the_subscription_saying_why_and_a_put_resumes_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        await using var silo = Silo(Settings());
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 10);
        await Subscribe(silo.Grains, company.Id, "crm", receiver, [WebhookEventTypes.StatusChanged]);
        var delivery = Delivery(silo.Grains, company.Id, "crm");
        var hooks = delivery.AsReference<IWebhookDeliveryTestHooks>();
        var started = time.GetUtcNow();

        await company.Connect("ann");

        var paused = await Poll.UntilAsync(async () =>
        {
            time.Advance(TimeSpan.FromMinutes(30));
            await hooks.Kick();
            return await delivery.GetStatus();
        }, s => s.Paused, Deadline, "paused");
        Assert.InRange(paused.PausedAt!.Value - started, TimeSpan.FromHours(24), TimeSpan.FromHours(26));
        Assert.Contains("HTTP 500", paused.PausedReason);
        Assert.Contains("PUT", paused.PausedReason);
        var tried = receiver.Requests.Count;
        time.Advance(TimeSpan.FromHours(2));
        await hooks.Kick();
        Assert.Equal(tried, receiver.Requests.Count); // paused: nothing more is tried

        receiver.AlwaysFail = false;
        await silo.Grains.GetGrain<ICompanyWebhooksGrain>(company.Id).Put("crm", new WebhookSubscriptionInput(receiver.Url, [WebhookEventTypes.StatusChanged], null));

        await Poll.UntilAsync(() => Task.FromResult(Changes(receiver, "ann")), c => c.Count >= 2, Deadline, "delivered after the resume");
        Assert.Equal([("NotConfigured", "Pending"), ("Pending", "Enabled")], Changes(receiver, "ann"));
        Assert.False((await delivery.GetStatus()).Paused);
    }

    [Fact]
    public async Task A_silo_stopped_between_the_changes_and_their_delivery_is_followed_by_one_that_delivers_them_unasked()
    {
        var settings = Settings();
        var port = FreePort.Next(); // nobody listens yet: the first deliveries are refused
        var company = $"co-{Guid.NewGuid():N}";
        var secret = WebhookReceiver.NewSecret();
        await using (var first = Silo(settings, realTime: true))
        {
            await first.StartAsync();
            var grains = new TestCompany(first.Grains, company);
            await grains.Grain.Upsert("Acme", 10);
            await first.Grains.GetGrain<ICompanyWebhooksGrain>(company).Put("crm",
                new WebhookSubscriptionInput($"http://127.0.0.1:{port}/hooks", [WebhookEventTypes.StatusChanged], secret));
            await grains.Connect("ann");
            await Poll.UntilAsync(() => Delivery(first.Grains, company, "crm").GetAttempts(10), a => a.Count > 0, Deadline, "a refused attempt");
            await first.StopAsync();
        }
        await using var receiver = await WebhookReceiver.StartAsync(port, secret);

        // Nobody calls the subscription: its reminder brings it back on the next silo.
        await using var second = Silo(settings, realTime: true);
        await second.StartAsync();

        await Poll.UntilAsync(() => Task.FromResult(Changes(receiver, "ann")), c => c.Count >= 2, Deadline, "delivered by the next silo");
        Assert.Equal([("NotConfigured", "Pending"), ("Pending", "Enabled")], Changes(receiver, "ann"));
        Assert.All(receiver.Requests, d => Assert.True(d.SignatureVerified));
        var attempts = await Delivery(second.Grains, company, "crm").GetAttempts(10);
        Assert.Contains(attempts, a => !a.Succeeded && a.StatusCode is null && a.Error == "The receiver refused the connection.");
    }

    [Fact]
    public async Task A_new_email_with_a_lead_is_announced_with_the_lead_and_a_summary_but_no_body_and_the_first_syncs_backfill_is_not()
    {
        var settings = Settings();
        settings["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint;
        settings["MailSync:SyncNowCooldown"] = "00:00:00.001";
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var silo = new AzuriteSilo(settings, FastReminders); // the real IMAP engine against Dovecot, real time
        await silo.StartAsync();
        var (user, password) = Dovecot.CreateUser("hooks");
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lee", "lee@lead.example", null)]);
        await Subscribe(silo.Grains, company.Id, "crm", receiver, [WebhookEventTypes.MessageAdded]);
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "before the connect", DateTimeOffset.UtcNow.AddHours(-2)));
        var mailbox = company.Mailbox(user);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 1, Deadline, "the backfill synced");

        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "a new one", DateTimeOffset.UtcNow.AddMinutes(-1)));
        await mailbox.SyncNow();

        var added = await Poll.UntilAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 1, Deadline, "the new email announced");
        var data = Assert.Single(added).Data;
        Assert.Equal("lee", data.GetProperty("leadId").GetString());
        Assert.Equal(user, data.GetProperty("userId").GetString());
        Assert.Equal("a new one", data.GetProperty("message").GetProperty("subject").GetString());
        Assert.Equal("received", data.GetProperty("message").GetProperty("direction").GetString());
        Assert.False(data.GetProperty("message").TryGetProperty("body", out _));
        Assert.True(added[0].SignatureVerified);
    }

    [Fact]
    public async Task The_first_email_into_a_mailbox_connected_empty_is_announced()
    {
        var settings = Settings();
        settings["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint;
        settings["MailSync:SyncNowCooldown"] = "00:00:00.001";
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var silo = new AzuriteSilo(settings, FastReminders);
        await silo.StartAsync();
        var (user, password) = Dovecot.CreateUser("empty");
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lee", "lee@lead.example", null)]);
        await Subscribe(silo.Grains, company.Id, "crm", receiver, [WebhookEventTypes.MessageAdded]);
        var mailbox = company.Mailbox(user);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.LastSyncAt is not null, Deadline, "the first (empty) sync");

        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "the very first", DateTimeOffset.UtcNow.AddMinutes(-1)));
        await mailbox.SyncNow();

        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 1, Deadline, "the first email synced");
        var added = await Poll.UntilAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 1, Deadline, "the first email announced");
        Assert.Equal("the very first", Assert.Single(added).Data.GetProperty("message").GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Changes_whose_hand_off_failed_stay_in_the_mailboxs_state_and_a_silo_after_a_restart_delivers_them_in_order()
    {
        var settings = Settings();
        var company = $"co-{Guid.NewGuid():N}";
        await using var receiver = await WebhookReceiver.StartAsync();
        await using (var first = Silo(settings, realTime: true, services => services.AddSingleton<ICompanyRows>(sp =>
                         new EventLogOutage(new AzureCompanyRows(new MailSyncTables(sp.GetRequiredService<TableServiceClient>()))))))
        {
            await first.StartAsync();
            var grains = new TestCompany(first.Grains, company);
            await grains.Grain.Upsert("Acme", 10);
            await Subscribe(first.Grains, company, "crm", receiver, [WebhookEventTypes.StatusChanged]);
            await grains.Connect("ann"); // Pending, then Enabled: both written, neither handed off (the log is down)
            await Poll.UntilAsync(() => grains.Status("ann"), v => v.LastSyncAt is not null, Deadline, "ann synced once");
            await first.StopAsync();
        }
        Assert.Empty(receiver.Requests);

        // Nobody calls the mailbox: its reminder brings it back, and its activation hands off what its state kept.
        await using var second = Silo(settings, realTime: true);
        await second.StartAsync();

        await Poll.UntilAsync(() => Task.FromResult(Changes(receiver, "ann")), c => c.Count >= 2, Deadline, "delivered after the restart");
        Assert.Equal([("NotConfigured", "Pending"), ("Pending", "Enabled")], Changes(receiver, "ann"));
    }

    [Fact]
    public async Task The_change_feed_keeps_changes_for_the_retention_and_drops_older_ones_as_the_company_appends()
    {
        var settings = Settings();
        settings["Webhooks:Retention"] = "02:00:00";
        await using var silo = Silo(settings);
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 10);
        var feed = silo.Grains.GetGrain<IChangeFeedGrain>(company.Id);
        async Task<List<(string, MailboxStatus, MailboxStatus)>> ReadAsync() =>
            [.. (await feed.GetChanges(null, 100)).Items.Select(c => (c.UserId, c.OldStatus, c.NewStatus))];

        await company.Connect("ann"); // two changes at 08:00
        await Poll.UntilAsync(ReadAsync, c => c.Count == 2, Deadline, "ann's connect in the feed");
        time.Advance(TimeSpan.FromHours(1));
        await company.Mailbox("ann").Disconnect(keepHistory: true); // 09:00
        await Poll.UntilAsync(ReadAsync, c => c.Count == 3, Deadline, "ann's disconnect in the feed");
        time.Advance(TimeSpan.FromHours(2));
        await company.Connect("bob"); // 11:00: the changes of 08:00 are older than the retention's marks allow

        var kept = await Poll.UntilAsync(ReadAsync, c => c.Count == 3 && c[^1].Item1 == "bob", Deadline, "08:00 dropped, bob added");
        Assert.Equal([("ann", MailboxStatus.Enabled, MailboxStatus.NotConfigured), ("bob", MailboxStatus.NotConfigured, MailboxStatus.Pending),
            ("bob", MailboxStatus.Pending, MailboxStatus.Enabled)], kept);
    }
}
