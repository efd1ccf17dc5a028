using MailSync.Grains.Timeline;

namespace MailSync.UnitTests.Timeline;

public sealed class TimelinePositionTests
{
    [Fact]
    public void A_position_carries_both_keys_whatever_they_contain()
    {
        const string partition = "co|07", row = "lee\u0001\"0123\\|ann";

        Assert.Equal((partition, row), TimelinePosition.Decode(TimelinePosition.Encode(partition, row)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[\"only one\"]")]
    [InlineData("{\"a\":1}")]
    public void No_position_or_one_that_is_not_ours_starts_over(string? position)
    {
        Assert.Null(TimelinePosition.Decode(position));
    }
}
