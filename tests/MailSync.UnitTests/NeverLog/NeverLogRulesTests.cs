using MailSync.Grains.Interfaces.NeverLog;
using MailSync.Grains.NeverLog;
using MailSync.Grains.Timeline;

namespace MailSync.UnitTests.NeverLog;

public sealed class NeverLogRulesTests
{
    [Fact]
    public void A_listed_address_or_domain_matches_in_any_case_and_a_domain_covers_its_subdomains()
    {
        var rules = new NeverLogRules(["lee@lead.example", "spam.example"], InternalMail.Default, "ann@acme.test");

        Assert.True(rules.NeverLogs("Lee@LEAD.example"));
        Assert.True(rules.NeverLogs("anyone@spam.example"));
        Assert.True(rules.NeverLogs("anyone@eu.spam.example"));
        Assert.False(rules.NeverLogs("lia@lead.example"));
        Assert.False(rules.NeverLogs("anyone@notspam.example"));
    }

    [Fact]
    public void The_mailboxs_own_domain_and_the_listed_ones_are_internal_unless_internal_emails_are_logged()
    {
        var rules = new NeverLogRules([], new InternalMail(["acme-group.example"], false), "ann@acme.test");
        var logged = new NeverLogRules([], new InternalMail(["acme-group.example"], true), "ann@acme.test");

        Assert.True(rules.IsInternal("bob@acme.test"));
        Assert.True(rules.IsInternal("sue@eu.acme-group.example"));
        Assert.False(rules.IsInternal("lee@lead.example"));
        Assert.False(logged.IsInternal("bob@acme.test"));
        Assert.Equal(["lee@lead.example"], rules.WithoutInternal(new Dictionary<string, IReadOnlyList<string>>
        {
            ["bob@acme.test"] = ["colleague"], ["lee@lead.example"] = ["lee"],
        }).Keys);
    }

    [Fact]
    public void A_public_mail_services_domain_is_never_internal() =>
        Assert.False(new NeverLogRules([], InternalMail.Default, "ann@gmail.com").IsInternal("lee@gmail.com"));

    [Fact]
    public void A_sweep_removes_rows_with_a_company_target_anywhere_and_a_users_target_only_from_that_users_rows()
    {
        var matches = new NeverLogSweep(
            [new NeverLogTarget(null, "x1@lead.example"), new NeverLogTarget("ann", "lead.example")], DateTimeOffset.UnixEpoch).Matcher();

        Assert.True(matches(new TimelineParticipants("bob", "x2@lead.example", ["bob@acme.test"], ["X1@Lead.Example"])));
        Assert.True(matches(new TimelineParticipants("ann", "x2@lead.example", ["ann@acme.test"], [])));
        Assert.False(matches(new TimelineParticipants("bob", "x2@lead.example", ["bob@acme.test"], [])));
    }
}
