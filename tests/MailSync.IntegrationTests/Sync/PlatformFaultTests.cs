using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Leads;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>Our own platform failing inside a pass (the lead directory on a dead silo) is deferred, never the user's error.</summary>
[Trait("Category", "Servers")]
public sealed class PlatformFaultTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_lead_directory_on_a_dead_silo_defers_the_pass_the_mailbox_stays_Enabled_with_no_error_then_the_mail_arrives()
    {
        var leads = new FlakyLeads();
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["MailSync:PollInterval"] = "00:00:01",
        };
        await using var silo = new AzuriteSilo(settings, services => services.AddSingleton<ILeadResolver>(leads));
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        var (user, password) = Dovecot.CreateUser("fault");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "Offer", DateTimeOffset.UtcNow.AddHours(-1)));
        var mailbox = company.Mailbox(user);

        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(() => Task.FromResult(leads.Calls), n => n >= 3, Deadline, "three passes met the dead silo");
        var during = await mailbox.GetStatus();
        var errors = await mailbox.GetErrors(10);
        leads.Healthy = true;
        var healed = await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 1, Deadline, "synced once the directory answers");
        var timeline = await silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id).GetPage("lee", 10, null);

        Assert.Equal((MailboxStatus.Enabled, null, null), (during.Status, during.LastError, during.FailingSince));
        Assert.Empty(errors);
        Assert.Equal(MailboxStatus.Enabled, healed.Status);
        Assert.Empty(await mailbox.GetErrors(10));
        Assert.Equal("Offer", Assert.Single(timeline.Items).Subject);
    }

    [Fact]
    public async Task Storage_still_hanging_at_the_pass_deadline_defers_the_pass_instead_of_blaming_the_mail_server()
    {
        // The pass deadline runs on fake time, moved past it only once the write hangs: the mail server's part is over then,
        // however slow this machine is, so nothing but our storage can be blamed.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var harness = new SyncHarness(o => o.MaxPassDuration = TimeSpan.FromSeconds(1), time);
        harness.Leads.Add("lee", "lee@lead.example");
        var (user, password) = Dovecot.CreateUser("hang");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "Offer", DateTimeOffset.UtcNow.AddHours(-1)));
        var storage = new HangingTimeline();

        var syncing = harness.SyncAsync(user, Dovecot.Credentials(user, password), _ => Task.CompletedTask, timeline: storage);
        await storage.Entered.WaitAsync(TimeSpan.FromMinutes(2));
        time.Advance(harness.Options.MaxPassDuration + harness.Options.ImapTimeout);
        var outcome = await syncing;

        Assert.Equal((SyncDeferral.PlatformFault, MailboxErrorCode.Unknown), (outcome.Deferral, outcome.Code));
    }

    /// <summary>Storage that accepts the connection and never answers (a relay cut mid-request): only cancellation ends a write.</summary>
    private sealed class HangingTimeline : ITimelineStore
    {
        private readonly MemoryTimelineStore rest = new();
        private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when a write has begun to hang.</summary>
        public Task Entered => entered.Task;

        public async Task<IReadOnlyList<RefusedEntry>> WriteAsync(string companyId, IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken = default)
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }

        public Task<TimelinePage> ReadPageAsync(string companyId, string leadId, int limit, string? continuation, CancellationToken cancellationToken = default) =>
            rest.ReadPageAsync(companyId, leadId, limit, continuation, cancellationToken);

        public Task<TimelineDeletionStep> DeleteAsync(string companyId, TimelineRowFilter filter, int max, string? from, CancellationToken cancellationToken = default) =>
            rest.DeleteAsync(companyId, filter, max, from, cancellationToken);
    }

    /// <summary>Fails like a grain call to a silo that died (its text names an internal address), until healthy.</summary>
    private sealed class FlakyLeads : ILeadResolver
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public volatile bool Healthy;

        public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ResolveAsync(string companyId, IReadOnlyCollection<string> addresses)
        {
            Interlocked.Increment(ref calls);
            if (!Healthy) throw new SiloUnavailableException("Silo S10.0.0.5:11111:123456 is unavailable (lead-directory/" + companyId + ")");
            return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(
                addresses.Where(a => a == "lee@lead.example").ToDictionary(a => a, _ => (IReadOnlyList<string>)["lee"]));
        }
    }
}
