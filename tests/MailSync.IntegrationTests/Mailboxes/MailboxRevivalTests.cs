using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Mailboxes;

/// <summary>After its silo is gone, a mailbox comes back by its durable reminder alone and goes on syncing.</summary>
[Trait("Category", "Servers")]
public sealed class MailboxRevivalTests
{
    [Fact]
    public async Task A_mailbox_whose_silo_died_is_revived_by_its_reminder_on_a_new_silo_and_syncs_new_mail_unasked()
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["MailSync:ReminderPeriod"] = "00:00:02",
            ["MailSync:PollInterval"] = "00:00:01",
        };
        void FastReminders(Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
            Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.Configure<ReminderOptions>(services,
                o => (o.MinimumReminderPeriod, o.RefreshReminderListPeriod) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var (user, password) = Dovecot.CreateUser("revive");
        var companyId = $"co-{Guid.NewGuid():N}";
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "before", DateTimeOffset.UtcNow.AddHours(-2)));

        await using (var first = new AzuriteSilo(settings, FastReminders))
        {
            await first.StartAsync();
            var company = new TestCompany(first.Grains, companyId);
            await company.Grain.Upsert("Acme", 1);
            await first.Grains.GetGrain<ILeadDirectoryGrain>(companyId).Upsert([new Lead("lee", "lee@lead.example", null)]);
            await company.Mailbox(user).Connect(Dovecot.Credentials(user, password));
            await Poll.UntilAsync(() => company.Status(user), v => v.MessagesSynced == 1, TimeSpan.FromSeconds(30), "first sync");
        }

        // Mail arrives while no silo runs; the next silo is started and nobody calls the mailbox grain.
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "while down", DateTimeOffset.UtcNow.AddMinutes(-5)));
        await using var second = new AzuriteSilo(settings, FastReminders);
        await second.StartAsync();
        var reader = second.Grains.GetGrain<ITimelineReaderGrain>(companyId);

        var timeline = await Poll.UntilAsync(() => reader.GetPage("lee", 10, null), page => page.Items.Count == 2, TimeSpan.FromSeconds(60), "revived sync");

        Assert.Equal(["while down", "before"], timeline.Items.Select(e => e.Subject));
        Assert.Equal(MailboxStatus.Enabled, (await new TestCompany(second.Grains, companyId).Status(user)).Status);
    }
}
