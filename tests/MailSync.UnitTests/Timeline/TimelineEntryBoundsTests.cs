using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Timeline;

namespace MailSync.UnitTests.Timeline;

public sealed class TimelineEntryBoundsTests
{
    [Theory]
    [InlineData(999)]
    [InlineData(1000)]
    public void A_subject_of_at_most_1000_characters_is_kept(int length)
    {
        var entry = Entry() with { Subject = new string('s', length) };

        var bounded = TimelineEntryBounds.Apply(entry);

        Assert.Same(entry, bounded);
        Assert.False(bounded.SubjectShortened);
    }

    [Theory]
    [InlineData(1001)]
    [InlineData(40_000)]
    public void A_longer_subject_is_cut_to_1000_characters_ending_with_an_ellipsis_and_marked_shortened(int length)
    {
        var subject = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)));

        var bounded = TimelineEntryBounds.Apply(Entry() with { Subject = subject });

        Assert.Equal(1000, bounded.Subject.Length);
        Assert.Equal(subject[..999] + "…", bounded.Subject);
        Assert.True(bounded.SubjectShortened);
    }

    [Fact]
    public void A_surrogate_pair_at_the_cut_is_dropped_whole()
    {
        var subject = new string('s', 998) + "😀" + "tail"; // the emoji's two halves at indexes 998 and 999

        var bounded = TimelineEntryBounds.Apply(Entry() with { Subject = subject });

        Assert.Equal(new string('s', 998) + "…", bounded.Subject);
        Assert.False(char.IsHighSurrogate(bounded.Subject[^2]));
    }

    [Fact]
    public void To_and_Cc_of_100_addresses_are_kept_whole()
    {
        var entry = Entry() with { To = Addresses(100, "to"), Cc = Addresses(100, "cc") };

        var bounded = TimelineEntryBounds.Apply(entry);

        Assert.Same(entry, bounded);
        Assert.Equal((100, 100), (bounded.ToCount, bounded.CcCount));
    }

    [Fact]
    public void To_and_Cc_of_101_addresses_keep_the_first_100_and_count_all()
    {
        var to = Addresses(101, "to");
        var cc = Addresses(2000, "cc");

        var bounded = TimelineEntryBounds.Apply(Entry() with { To = to, Cc = cc });

        Assert.Equal(to.Take(100), bounded.To);
        Assert.Equal(cc.Take(100), bounded.Cc);
        Assert.Equal((101, 2000), (bounded.ToCount, bounded.CcCount));
    }

    [Fact]
    public void An_address_of_254_characters_is_kept_and_one_of_255_is_dropped_but_counted()
    {
        var fits = Address(254);
        var tooLong = Address(255);

        var bounded = TimelineEntryBounds.Apply(Entry() with { To = [tooLong, fits, "lee@lead.example"], Cc = [tooLong] });

        Assert.Equal([fits, "lee@lead.example"], bounded.To);
        Assert.Empty(bounded.Cc);
        Assert.Equal((3, 1), (bounded.ToCount, bounded.CcCount));
    }

    [Fact]
    public void A_From_of_254_characters_is_kept_and_a_longer_one_is_shortened_to_254()
    {
        var fits = Address(254);
        var tooLong = Address(255);

        Assert.Equal(fits, TimelineEntryBounds.Apply(Entry() with { From = fits }).From);
        var shortened = TimelineEntryBounds.Apply(Entry() with { From = tooLong }).From;
        Assert.Equal(254, shortened.Length);
        Assert.Equal(tooLong[..253] + "…", shortened);
    }

    [Fact]
    public void A_Message_ID_of_998_characters_is_kept_and_a_longer_one_is_cut_keeping_the_row_key_of_the_full_id()
    {
        var fits = Entry() with { MessageId = new string('m', 998) };
        var tooLong = Entry() with { MessageId = new string('m', 999) };

        var keptWhole = TimelineEntryBounds.Apply(fits);
        var shortened = TimelineEntryBounds.Apply(tooLong);

        Assert.Same(fits, keptWhole);
        Assert.Null(keptWhole.FullMessageIdHash);
        Assert.Equal(998, shortened.MessageId.Length);
        Assert.EndsWith("…", shortened.MessageId);
        Assert.Equal(TimelineKeys.Row(tooLong), TimelineKeys.Row(shortened));
        Assert.Equal(TimelineKeys.Partition("acme", tooLong.LeadId), TimelineKeys.Partition("acme", shortened.LeadId));
        Assert.NotEqual(TimelineKeys.Row(fits), TimelineKeys.Row(shortened));
    }

    [Fact]
    public void Bounding_twice_changes_nothing_more()
    {
        var entry = Entry() with
        {
            Subject = new string('s', 5000), From = Address(300), MessageId = new string('m', 2000), To = Addresses(150, "to"), Cc = [Address(400), .. Addresses(120, "cc")],
        };

        var once = TimelineEntryBounds.Apply(entry);

        Assert.Same(once, TimelineEntryBounds.Apply(once));
        Assert.Equal((150, 121, true), (once.ToCount, once.CcCount, once.SubjectShortened));
        Assert.Equal(TimelineKeys.Row(entry), TimelineKeys.Row(once));
    }

    [Fact]
    public void Counts_are_never_less_than_the_lists_hold()
    {
        var entry = Entry() with { To = ["a@x", "b@x"], Cc = ["c@x"] };

        Assert.Equal((2, 1), (entry.ToCount, entry.CcCount));
        Assert.Equal((7, 1), ((entry with { ToCount = 7 }).ToCount, (entry with { CcCount = 0 }).CcCount));
    }

    private static TimelineEntry Entry() => new(
        "lee", "m1@x", "hello", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MessageDirection.Received, "lee@lead.example", ["ann@acme.test"], [], "ann");

    private static string[] Addresses(int count, string prefix) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i}@many.example")];

    /// <summary>An address of exactly <paramref name="length"/> characters.</summary>
    private static string Address(int length) => new string('a', length - "@x.example".Length) + "@x.example";
}
