using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;

namespace MailSync.UnitTests.Sync;

public sealed class TimelineKeyTests
{
    [Theory]
    [InlineData("acme", "acme")]
    [InlineData("a/b\\c#d?e", "a%002Fb%005Cc%0023d%003Fe")]
    [InlineData("50%|x\t", "50%0025%007Cx%0009")]
    public void Keys_escape_what_Azure_forbids_and_our_separator(string raw, string escaped)
    {
        Assert.Equal(escaped, TableKeys.Escape(raw));
    }

    [Fact]
    public void Rows_sort_newest_first_and_are_the_same_for_the_same_message()
    {
        var older = Entry("a@x", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var newer = Entry("b@x", new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(2)));

        Assert.True(string.CompareOrdinal(TimelineKeys.Row(newer), TimelineKeys.Row(older)) < 0);
        Assert.Equal(TimelineKeys.Row(older), TimelineKeys.Row(older with { Direction = MessageDirection.Sent, Subject = "re-read" }));
        Assert.NotEqual(TimelineKeys.Row(older), TimelineKeys.Row(older with { UserId = "bob" }));
        Assert.Equal(TimelineKeys.MessageKey(older), TimelineKeys.MessageKey(older with { UserId = "bob" }));
        Assert.NotEqual(TimelineKeys.Partition("acme", "lee"), TimelineKeys.Partition("acme|lee", ""));
        Assert.StartsWith(TimelineKeys.LeadPrefix("lee"), TimelineKeys.Row(older));
        Assert.False(TimelineKeys.Row(older with { LeadId = "lee2" }).StartsWith(TimelineKeys.LeadPrefix("lee"), StringComparison.Ordinal));
    }

    [Fact]
    public void A_message_without_Message_ID_gets_the_same_synthetic_id_in_every_folder()
    {
        var date = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

        var inInbox = TimelineEntryBuilder.SyntheticMessageId("Ann@Acme.test", ["lee@lead.example"], [], "Hi", date);
        var inSent = TimelineEntryBuilder.SyntheticMessageId("ann@acme.test", ["LEE@lead.example"], [], "Hi", date);

        Assert.Equal(inInbox, inSent);
        Assert.NotEqual(inInbox, TimelineEntryBuilder.SyntheticMessageId("ann@acme.test", ["lee@lead.example"], [], "Hi again", date));
    }

    private static TimelineEntry Entry(string messageId, DateTimeOffset date) =>
        new("lee", messageId, "s", date, MessageDirection.Received, "lee@x", [], [], "ann");
}
