using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Mailboxes;

/// <summary>The sync-now cooldown is kept with the mailbox: a new activation (a silo replaced) does not reset it.</summary>
[Trait("Category", "Servers")]
public sealed class SyncNowCooldownTests
{
    [Fact]
    public async Task A_sync_now_right_after_one_on_a_replaced_silo_is_still_refused()
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["MailSync:SyncNowCooldown"] = "00:10:00",
        };
        var (user, password) = Dovecot.CreateUser("cooldown");
        string companyId;
        await using (var first = new AzuriteSilo(settings))
        {
            await first.StartAsync();
            var company = new TestCompany(first.Grains);
            companyId = company.Id;
            await company.Grain.Upsert("Acme", 1);
            var mailbox = company.Mailbox(user);
            await mailbox.Connect(Dovecot.Credentials(user, password));
            await Poll.UntilAsync(mailbox.GetStatus, v => v.LastSyncAt is not null, TimeSpan.FromSeconds(60), "first sync");
            Assert.True((await mailbox.SyncNow()).Ran);
        }

        await using var second = new AzuriteSilo(settings);
        await second.StartAsync();
        var again = await second.Grains.GetMailbox(companyId, user).SyncNow();

        Assert.True(again.CoolingDown);
        Assert.InRange(again.RetryAfter, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(10));
    }
}
