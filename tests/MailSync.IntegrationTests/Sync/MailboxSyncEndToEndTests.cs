using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>A real silo on Azurite syncing a real Dovecot mailbox through the mailbox grain.</summary>
[Trait("Category", "Servers")]
public sealed class MailboxSyncEndToEndTests
{
    [Fact]
    public async Task Wrong_password_shows_AuthenticationFailed_with_its_fix_then_the_right_one_syncs_leads_mail_and_disconnect_can_drop_it()
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
        };
        await using var silo = new AzuriteSilo(settings);
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lee", "Lee@Lead.Example", "Lee")]);
        var (user, password) = Dovecot.CreateUser("e2e");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "Offer", DateTimeOffset.UtcNow.AddHours(-3)));
        Dovecot.Plant(user, Mail.Message("noise@elsewhere.example", [Dovecot.Address(user)], "Newsletter", DateTimeOffset.UtcNow.AddHours(-2)));
        var mailbox = company.Mailbox(user);
        var deadline = TimeSpan.FromSeconds(30);

        await mailbox.Connect(Dovecot.Credentials(user, "Not-The-Password-1"));
        var failed = await Poll.UntilAsync(mailbox.GetStatus, v => v.Status == MailboxStatus.Error, deadline, "Error");
        await mailbox.Connect(Dovecot.Credentials(user, password));
        var synced = await Poll.UntilAsync(mailbox.GetStatus, v => v.LastSyncAt is not null, deadline, "synced");
        var timeline = await silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id).GetPage("lee", 50, null);

        Assert.Equal(MailboxErrorCode.AuthenticationFailed, failed.LastError!.Code);
        Assert.Contains("password", failed.LastError.Fix);
        Assert.DoesNotContain("Not-The-Password-1", failed.LastError.Detail ?? "");
        Assert.Equal(MailboxStatus.Enabled, synced.Status);
        Assert.Equal(2, synced.MessagesSynced);
        var entry = Assert.Single(timeline.Items);
        Assert.Equal(("Offer", MessageDirection.Received, user), (entry.Subject, entry.Direction, entry.UserId));

        await mailbox.Disconnect(keepHistory: false);

        Assert.Empty((await silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id).GetPage("lee", 50, null)).Items);
        Assert.Equal(MailboxStatus.NotConfigured, (await mailbox.GetStatus()).Status);
    }
}
