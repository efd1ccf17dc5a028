using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Timeline;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MailSync.UnitTests.Timeline;

/// <summary>How a timeline entry is stored in and read from its table row, and how it crosses grain calls.</summary>
public sealed class TimelineEntityTests
{
    private static readonly TimelineEntry Hostile = new(
        "lee", new string('m', 1200), new string('s', 40_000), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MessageDirection.Received,
        "lee@lead.example", ["ann@acme.test"], [.. Enumerable.Range(0, 2000).Select(i => $"cc{i}@many.example")], "ann");

    [Fact]
    public void A_row_reads_back_bounded_with_its_counts_and_flags_under_the_keys_of_the_full_entry()
    {
        var entity = AzureTimelineStore.ToEntity("acme", Hostile);

        var read = AzureTimelineStore.FromEntity(entity);

        Assert.Equal((TimelineKeys.Partition("acme", "lee"), TimelineKeys.Row(Hostile)), (entity.PartitionKey, entity.RowKey));
        Assert.Equal(TimelineKeys.Row(Hostile), TimelineKeys.Row(read));
        Assert.Equal((1000, true, 998), (read.Subject.Length, read.SubjectShortened, read.MessageId.Length));
        Assert.Equal((100, 2000, 1, 1), (read.Cc.Count, read.CcCount, read.To.Count, read.ToCount));
        Assert.Equal(Hostile.Cc.Take(100), read.Cc);
    }

    [Fact]
    public void A_row_written_before_the_counts_existed_counts_the_addresses_it_lists()
    {
        var old = new TableEntity("p", "r")
        {
            ["LeadId"] = "lee", ["MessageId"] = "m@x", ["Subject"] = "hi", ["Date"] = DateTimeOffset.UnixEpoch, ["Direction"] = "Received",
            ["From"] = "lee@lead.example", ["To"] = """["ann@acme.test","bob@acme.test"]""", ["Cc"] = """["c\u00e9@x"]""", ["UserId"] = "ann",
        };

        var read = AzureTimelineStore.FromEntity(old);

        Assert.Equal((2, 1, false, null), (read.ToCount, read.CcCount, read.SubjectShortened, read.FullMessageIdHash));
        Assert.Equal(["cé@x"], read.Cc);
    }

    [Fact]
    public void An_entry_crosses_grain_calls_with_its_counts_and_flags()
    {
        using var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(TimelineEntry).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var bounded = TimelineEntryBounds.Apply(Hostile);

        var copy = Assert.IsType<TimelineEntry>(serializer.Deserialize<TimelineEntry>(serializer.SerializeToArray(bounded)));

        Assert.Equal((bounded.Subject, bounded.MessageId, bounded.FullMessageIdHash), (copy.Subject, copy.MessageId, copy.FullMessageIdHash));
        Assert.Equal((2000, 1, true), (copy.CcCount, copy.ToCount, copy.SubjectShortened));
        Assert.Equal(bounded.Cc, copy.Cc);
    }
}
