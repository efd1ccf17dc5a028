using MailSync.Grains.Sync;

namespace MailSync.UnitTests.Sync;

public sealed class KeptSessionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    private static KeptSessions<string, string> Kept(int capacity) => new(capacity, TimeSpan.FromMinutes(10));

    [Fact]
    public void Over_budget_the_session_of_the_mailbox_polling_furthest_away_is_closed_not_the_oldest()
    {
        var kept = Kept(2);
        Assert.Empty(kept.Keep("ann", "ann-session", T0 + TimeSpan.FromSeconds(10), T0));
        Assert.Empty(kept.Keep("bob", "bob-session", T0 + TimeSpan.FromSeconds(50), T0));

        var closed = kept.Keep("cid", "cid-session", T0 + TimeSpan.FromSeconds(30), T0 + TimeSpan.FromSeconds(1));

        Assert.Equal(["bob-session"], closed);
        Assert.Equal("ann-session", kept.Take("ann"));
        Assert.Equal("cid-session", kept.Take("cid"));
    }

    [Fact]
    public void The_session_just_returned_is_the_one_closed_when_its_mailbox_polls_last()
    {
        var kept = Kept(1);
        kept.Keep("ann", "ann-session", T0 + TimeSpan.FromSeconds(10), T0);

        Assert.Equal(["bob-session"], kept.Keep("bob", "bob-session", T0 + Poll, T0));
        Assert.Equal(1, kept.Count);
    }

    [Fact]
    public void Mailboxes_polling_in_a_cycle_reuse_as_many_sessions_as_are_kept_every_round()
    {
        // 10 mailboxes poll one after another every minute, 4 sessions kept: the optimum is 4 reuses per round.
        var kept = Kept(4);
        var now = T0;
        var reusesPerRound = new List<int>();
        for (var round = 0; round < 5; round++)
        {
            var reuses = 0;
            for (var m = 0; m < 10; m++)
            {
                now = T0 + round * Poll + m * TimeSpan.FromSeconds(6);
                var mailbox = $"m{m}";
                if (kept.Take(mailbox) is not null) reuses++;
                kept.Keep(mailbox, $"{mailbox}-r{round}", now + Poll, now);
            }
            reusesPerRound.Add(reuses);
        }

        Assert.Equal([0, 4, 4, 4, 4], reusesPerRound);
    }

    [Fact]
    public void A_session_whose_mailbox_missed_its_poll_goes_first_it_has_probably_moved_to_another_silo()
    {
        var kept = Kept(2);
        kept.Keep("gone", "gone-session", T0 + TimeSpan.FromSeconds(5), T0);
        kept.Keep("ann", "ann-session", T0 + TimeSpan.FromMinutes(5), T0);
        var late = T0 + TimeSpan.FromSeconds(5) + KeptSessions<string, string>.OverdueGrace + TimeSpan.FromSeconds(1);

        Assert.Equal(["gone-session"], kept.Keep("bob", "bob-session", late + TimeSpan.FromMinutes(3), late));
    }

    [Fact]
    public void Idle_sessions_expire_and_a_session_needed_only_after_the_idle_timeout_is_not_kept()
    {
        var kept = Kept(10);
        kept.Keep("ann", "ann-session", T0 + Poll, T0);

        Assert.Equal(["slow-session"], kept.Keep("slow", "slow-session", T0 + TimeSpan.FromMinutes(10), T0));
        Assert.Equal(["ann-session"], kept.Expire(T0 + TimeSpan.FromMinutes(10)));
        Assert.Equal(0, kept.Count);
    }

    [Fact]
    public void A_second_session_of_one_mailbox_replaces_the_first_and_nothing_is_kept_with_a_budget_of_zero()
    {
        var kept = Kept(5);
        kept.Keep("ann", "first", T0 + Poll, T0);

        Assert.Equal(["first"], kept.Keep("ann", "second", T0 + Poll, T0));
        Assert.Equal(["only"], Kept(0).Keep("ann", "only", T0 + Poll, T0));
        Assert.Equal("second", kept.Take("ann"));
        Assert.Null(kept.Take("ann"));
    }
}
