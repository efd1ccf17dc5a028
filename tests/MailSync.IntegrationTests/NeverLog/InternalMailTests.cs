using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.NeverLog;
using MailSync.Testing;

namespace MailSync.IntegrationTests.NeverLog;

/// <summary>The company's own domains on Dovecot: a colleague made a lead is never matched, unless the company says so.</summary>
[Trait("Category", "Servers")]
public sealed class InternalMailTests
{
    private static readonly DateTimeOffset Yesterday = DateTimeOffset.UtcNow.AddDays(-1);

    [Fact]
    public async Task Colleagues_at_the_mailboxs_domain_and_the_companys_domains_are_not_leads_until_internal_emails_are_logged()
    {
        var harness = new SyncHarness();
        var (user, password) = Dovecot.CreateUser("internal");
        var me = Dovecot.Address(user); // at acme.test: the company's own domain without being listed
        harness.Leads.Add("colleague", "bob@acme.test");
        harness.Leads.Add("subsidiary", "sue@eu.acme-group.example");
        harness.Leads.Add("customer", "lee@lead.example");
        await harness.NeverLogRows.SetInternalMailAsync(harness.CompanyId, new InternalMail(["acme-group.example"], false));
        Dovecot.Plant(user, Mail.Message("bob@acme.test", [me], "Lunch?", Yesterday));
        Dovecot.Plant(user, Mail.Message("sue@eu.acme-group.example", [me], "Quarterly numbers", Yesterday.AddHours(1)));
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [me], "Order", Yesterday.AddHours(2), cc: ["bob@acme.test"]));

        Assert.True((await harness.SyncAsync(user, Dovecot.Credentials(user, password))).Succeeded);

        Assert.Empty(await harness.TimelineOf("colleague"));
        Assert.Empty(await harness.TimelineOf("subsidiary"));
        Assert.Equal(["Order"], (await harness.TimelineOf("customer")).Select(e => e.Subject));

        await harness.NeverLogRows.SetInternalMailAsync(harness.CompanyId, new InternalMail(["acme-group.example"], true));
        Dovecot.Plant(user, Mail.Message("bob@acme.test", [me], "Lunch again?", Yesterday.AddHours(3)));
        // A new session: a kept Dovecot session answers STATUS from its list index, which learns of a message written
        // straight into the maildir (as Plant does, unlike Dovecot's own delivery) only when Dovecot next syncs the folder.
        harness.Sessions.Forget(new MailboxKey(harness.CompanyId, user));
        var again = await harness.SyncAsync(user, Dovecot.Credentials(user, password));
        Assert.Equal((true, 1), (again.Succeeded, again.MessagesSynced));

        Assert.Equal(["Lunch again?"], (await harness.TimelineOf("colleague")).Select(e => e.Subject));
    }

    [Fact]
    public async Task A_mailbox_at_a_public_mail_service_does_not_make_its_domain_internal()
    {
        var harness = new SyncHarness();
        var (user, password) = Dovecot.CreateUser("public");
        harness.Leads.Add("customer", "lee@gmail.com");
        Dovecot.Plant(user, Mail.Message("lee@gmail.com", [Dovecot.Address(user)], "Order", Yesterday));

        Assert.True((await harness.SyncAsync(user, Dovecot.Credentials(user, password) with { Email = "ann@gmail.com" })).Succeeded);

        Assert.Equal(["Order"], (await harness.TimelineOf("customer")).Select(e => e.Subject));
    }
}
