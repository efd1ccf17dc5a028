using MailSync.Grains.Leads;
using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.UnitTests.Leads;

public sealed class LeadAddressCacheTests
{
    private readonly FakeTimeProvider time = new();

    private LeadAddressCache Cache(int entries = 1_000) =>
        new(Options.Create(new MailSyncOptions { LeadCacheEntries = entries }), new MailSyncClock(time));

    [Fact]
    public void A_lookup_read_while_its_address_was_forgotten_is_not_kept()
    {
        var cache = Cache();
        var version = cache.Version("co", "k");
        cache.Forget("co", ["k"]);
        cache.Add("co", "k", ["lee"], version);

        Assert.False(cache.TryGet("co", "k", out _));
    }

    [Fact]
    public void Kept_lookups_are_per_company_and_forgetting_drops_them()
    {
        var cache = Cache();
        cache.Add("co", "k", ["lee"], cache.Version("co", "k"));
        cache.Add("other", "k", [], cache.Version("other", "k"));

        Assert.True(cache.TryGet("co", "k", out var lee));
        Assert.Equal(["lee"], lee);
        Assert.True(cache.TryGet("other", "k", out var none));
        Assert.Empty(none);
        cache.Forget("co", ["k"]);
        Assert.False(cache.TryGet("co", "k", out _));
        Assert.True(cache.TryGet("other", "k", out _));
    }

    [Fact]
    public void The_cache_never_holds_more_than_its_bound_and_reads_again_after_the_maximum_age()
    {
        var cache = Cache(entries: 1_000);
        for (var i = 0; i < 10_000; i++) cache.Add("co", $"k{i}", [], cache.Version("co", $"k{i}"));

        Assert.InRange(cache.Count, 1, 1_000);
        Assert.True(cache.TryGet("co", "k9999", out _));
        time.Advance(LeadAddressCache.MaxAge);
        Assert.False(cache.TryGet("co", "k9999", out _));
    }
}
