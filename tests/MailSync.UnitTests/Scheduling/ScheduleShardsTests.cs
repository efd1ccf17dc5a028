using MailSync.Grains.Scheduling;

namespace MailSync.UnitTests.Scheduling;

public sealed class ScheduleShardsTests
{
    [Fact]
    public void A_mailbox_maps_to_the_same_shard_in_every_process()
    {
        // FNV-1a values computed independently: a change here would move every mailbox to another keeper on upgrade.
        Assert.Equal(2166136261u % 32, (uint)ScheduleShards.Of("", 32));
        Assert.Equal(0xE40C292Cu % 32, (uint)ScheduleShards.Of("a", 32));
        Assert.Equal(ScheduleShards.Of("acme/ann", 32), ScheduleShards.Of("acme/ann", 32));
    }

    [Fact]
    public void Mailboxes_spread_over_all_shards()
    {
        var counts = new int[32];
        for (var i = 0; i < 32_000; i++) counts[ScheduleShards.Of($"company-{i % 97}/user-{i}", 32)]++;

        Assert.All(counts, count => Assert.InRange(count, 800, 1200));
    }

    [Fact]
    public void A_shard_count_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleShards.Of("acme/ann", 0));
}
