using MailSync.Grains.Sync;
using MailSync.Shared.Configuration;

namespace MailSync.UnitTests.Sync;

public sealed class SessionSharesTests
{
    private static SessionShares Shares(int perCompany = 2, int perHost = 3) => new(new MailSyncOptions
    {
        MaxConcurrentSessionsPerCompany = perCompany, MaxConcurrentSessionsPerHost = perHost, HostsWithoutSessionCap = ["imap.gmail.com"],
    });

    [Fact]
    public void A_company_runs_at_most_its_share_and_gets_it_back_when_a_pass_ends()
    {
        var shares = Shares(perCompany: 2);
        var first = shares.TryTake("acme", "a.example");
        var second = shares.TryTake("acme", "b.example");

        Assert.Null(shares.TryTake("acme", "c.example"));
        Assert.NotNull(shares.TryTake("globex", "c.example"));
        first!.Dispose();
        first.Dispose(); // releasing twice gives back one share only
        Assert.NotNull(shares.TryTake("acme", "c.example"));
        Assert.Null(shares.TryTake("acme", "d.example"));
        second!.Dispose();
        Assert.Equal(1, shares.Running("acme"));
    }

    [Fact]
    public void One_host_serves_at_most_its_share_across_companies_except_the_shared_provider_hosts()
    {
        var shares = Shares(perCompany: 10, perHost: 2);
        Assert.NotNull(shares.TryTake("acme", "mail.slow.example"));
        Assert.NotNull(shares.TryTake("globex", "MAIL.SLOW.EXAMPLE"));

        Assert.Null(shares.TryTake("initech", "mail.slow.example"));
        Assert.All(Enumerable.Range(0, 5), i => Assert.NotNull(shares.TryTake($"c{i}", "imap.gmail.com")));
    }

    [Fact]
    public void Polls_leave_an_eighth_of_a_companys_share_to_passes_that_IDLE_started()
    {
        var shares = Shares(perCompany: 16, perHost: 100);
        Assert.All(Enumerable.Range(0, 14), i => Assert.NotNull(shares.TryTake("acme", "mail.acme.example")));

        Assert.Null(shares.TryTake("acme", "mail.acme.example"));
        var pushed = shares.TryTake("acme", "mail.acme.example", pushed: true);
        Assert.NotNull(pushed);
        Assert.NotNull(shares.TryTake("acme", "mail.acme.example", pushed: true));
        Assert.Null(shares.TryTake("acme", "mail.acme.example", pushed: true));
        pushed!.Dispose();
        Assert.Null(shares.TryTake("acme", "mail.acme.example")); // 15 still run: over the polls' 14
    }

    [Fact]
    public void The_part_kept_for_pushed_passes_is_kept_on_a_hosts_share_too_and_small_caps_keep_none()
    {
        var hosts = Shares(perCompany: 100, perHost: 8);
        Assert.All(Enumerable.Range(0, 7), i => Assert.NotNull(hosts.TryTake($"c{i}", "mail.slow.example")));
        Assert.Null(hosts.TryTake("c7", "mail.slow.example"));
        Assert.NotNull(hosts.TryTake("c7", "mail.slow.example", pushed: true));

        var small = Shares(perCompany: 2);
        Assert.NotNull(small.TryTake("acme", "a.example"));
        Assert.NotNull(small.TryTake("acme", "a.example"));
    }

    [Fact]
    public void Unset_caps_are_a_quarter_and_a_half_of_the_silos_sessions()
    {
        var options = new MailSyncOptions { MaxConcurrentSessionsPerSilo = 64 };

        Assert.Equal((16, 32), (options.CompanySessionCap, options.HostSessionCap));
        Assert.Equal((1, 1), (new MailSyncOptions { MaxConcurrentSessionsPerSilo = 1 }.CompanySessionCap, new MailSyncOptions { MaxConcurrentSessionsPerSilo = 1 }.HostSessionCap));
    }
}
