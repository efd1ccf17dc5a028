using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.NeverLog;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.NeverLog;

/// <summary>
/// "Never log" on Azurite and Dovecot: what was recorded with a new entry is removed, nothing with it is recorded
/// again, and a user's own list touches only what their mailbox recorded.
/// </summary>
[Trait("Category", "Servers")]
public sealed class NeverLogTests
{
    private static DateTimeOffset Recently => DateTimeOffset.UtcNow.AddDays(-2);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_company_entry_removes_every_email_with_the_address_and_later_mail_with_it_is_never_recorded()
    {
        await using var silo = await StartAsync();
        var company = await CompanyAsync(silo);
        var (user, password) = Dovecot.CreateUser("forget");
        var me = Dovecot.Address(user);
        Dovecot.Plant(user, Mail.Message("x1@lead.example", [me], "From x1", Recently));
        Dovecot.Plant(user, Mail.Message("x2@lead.example", [me], "Group", Recently.AddHours(1), cc: ["x1@lead.example"]));
        Dovecot.Plant(user, Mail.Message("x2@lead.example", [me], "x2 alone", Recently.AddHours(2)));
        var mailbox = company.Mailbox(user);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 3, Bound, "first sync");
        var reader = silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id);
        await Poll.UntilAsync(() => reader.GetPage("lead1", 10, null), p => p.Items.Count == 2, Bound, "x1's emails recorded");

        var neverLog = silo.Grains.GetGrain<INeverLogGrain>(company.Id);
        Assert.Equal(NeverLogAdded.Added, (await neverLog.Add(null, "X1@Lead.Example")).Outcome);
        await Poll.UntilAsync(neverLog.GetRemoval, r => r.EntriesWaiting == 0, Bound, "removal finished");

        Assert.Empty((await reader.GetPage("lead1", 10, null)).Items);
        Assert.Equal(["x2 alone"], (await reader.GetPage("lead2", 10, null)).Items.Select(e => e.Subject));
        Assert.Equal(3, (await neverLog.GetRemoval()).TimelineEntriesRemoved); // lead1's two rows and lead2's copy of the group email

        Dovecot.Plant(user, Mail.Message("x1@lead.example", [me], "x1 again", DateTimeOffset.UtcNow));
        Dovecot.Plant(user, Mail.Message("x2@lead.example", [me], "Group again", DateTimeOffset.UtcNow, cc: ["x1@lead.example"]));
        Dovecot.Plant(user, Mail.Message("x2@lead.example", [me], "x2 again", DateTimeOffset.UtcNow));
        await mailbox.SyncNow();
        await Poll.UntilAsync(() => reader.GetPage("lead2", 10, null), p => p.Items.Count == 2, Bound, "x2's new email");
        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 6, Bound, "all new mail read");
        Assert.Equal(["x2 again", "x2 alone"], (await reader.GetPage("lead2", 10, null)).Items.Select(e => e.Subject));
        Assert.Empty((await reader.GetPage("lead1", 10, null)).Items);
        Assert.Equal(["x1@lead.example"], (await neverLog.List(null)).Select(e => e.Value));
    }

    [Fact]
    public async Task A_users_own_domain_entry_removes_only_what_their_mailbox_recorded()
    {
        await using var silo = await StartAsync();
        var company = await CompanyAsync(silo, seats: 2);
        var (ann, annPassword) = Dovecot.CreateUser("ann-own");
        var (bob, bobPassword) = Dovecot.CreateUser("bob-own");
        var shared = Mail.Message("x1@lead.example", [Dovecot.Address(ann), Dovecot.Address(bob)], "To both", Recently);
        Dovecot.Plant(ann, shared);
        Dovecot.Plant(bob, shared);
        Dovecot.Plant(ann, Mail.Message("x2@lead.example", [Dovecot.Address(ann)], "Ann only", Recently.AddHours(1)));
        await company.Mailbox(ann).Connect(Dovecot.Credentials(ann, annPassword));
        await company.Mailbox(bob).Connect(Dovecot.Credentials(bob, bobPassword));
        await Poll.UntilAsync(company.Mailbox(ann).GetStatus, v => v.MessagesSynced == 2, Bound, "ann's first sync");
        await Poll.UntilAsync(company.Mailbox(bob).GetStatus, v => v.MessagesSynced == 1, Bound, "bob's first sync");

        var neverLog = silo.Grains.GetGrain<INeverLogGrain>(company.Id);
        Assert.Equal(NeverLogAdded.Added, (await neverLog.Add(ann, "lead.example")).Outcome);
        await Poll.UntilAsync(neverLog.GetRemoval, r => r.EntriesWaiting == 0, Bound, "removal finished");

        var reader = silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id);
        var kept = Assert.Single((await reader.GetPage("lead1", 10, null)).Items);
        Assert.Equal(("To both", bob), (kept.Subject, kept.UserId));
        Assert.Empty((await reader.GetPage("lead2", 10, null)).Items);
        Assert.Empty(await neverLog.List(null));
        Assert.Equal(["lead.example"], (await neverLog.List(ann)).Select(e => e.Value));
    }

    [Fact]
    public async Task A_removed_entry_and_a_changed_internal_mail_rule_hold_from_the_next_pass()
    {
        await using var silo = await StartAsync();
        var company = await CompanyAsync(silo);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("colleague", "bob@acme.test", null)]);
        var (user, password) = Dovecot.CreateUser("rules");
        var me = Dovecot.Address(user); // at acme.test: bob is a colleague
        var neverLog = silo.Grains.GetGrain<INeverLogGrain>(company.Id);
        Assert.Equal(NeverLogAdded.Added, (await neverLog.Add(user, "x1@lead.example")).Outcome);
        Dovecot.Plant(user, Mail.Message("x1@lead.example", [me], "Listed", Recently));
        Dovecot.Plant(user, Mail.Message("bob@acme.test", [me], "Lunch?", Recently.AddHours(1)));
        var mailbox = company.Mailbox(user);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 2, Bound, "first sync");
        var reader = silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id);
        Assert.Empty((await reader.GetPage("lead1", 10, null)).Items);
        Assert.Empty((await reader.GetPage("colleague", 10, null)).Items);

        // The mailbox's passes have read the lists; what changes after that counts from the next pass on.
        Assert.True(await neverLog.Remove(user, "x1@lead.example"));
        await neverLog.SetInternalMail(new InternalMail([], LogInternalEmails: true));
        Dovecot.Plant(user, Mail.Message("x1@lead.example", [me], "No longer listed", DateTimeOffset.UtcNow));
        Dovecot.Plant(user, Mail.Message("bob@acme.test", [me], "Lunch again?", DateTimeOffset.UtcNow));
        await mailbox.SyncNow();
        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 4, Bound, "the new mail read");

        Assert.Equal(["No longer listed"], (await reader.GetPage("lead1", 10, null)).Items.Select(e => e.Subject));
        Assert.Equal(["Lunch again?"], (await reader.GetPage("colleague", 10, null)).Items.Select(e => e.Subject));
    }

    private static async Task<AzuriteSilo> StartAsync()
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
        };
        var silo = new AzuriteSilo(settings);
        await silo.StartAsync();
        return silo;
    }

    private static async Task<TestCompany> CompanyAsync(AzuriteSilo silo, int seats = 1)
    {
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", seats);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert(
            [new Lead("lead1", "x1@lead.example", null), new Lead("lead2", "x2@lead.example", null)]);
        return company;
    }
}
