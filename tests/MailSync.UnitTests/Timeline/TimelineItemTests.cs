using System.Text.Json;
using MailSync.Api.Leads;

namespace MailSync.UnitTests.Timeline;

public sealed class TimelineItemTests
{
    [Fact]
    public void The_api_keeps_every_field_in_its_order_and_adds_the_counts_and_the_shortened_flag()
    {
        var item = new TimelineItem("m@x", "hi…", DateTimeOffset.UnixEpoch, "received", "lee@lead.example", ["ann@acme.test"], ["cc0@x"], "ann", 1, 2000, true);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(item, JsonSerializerOptions.Web));

        Assert.Equal(["messageId", "subject", "date", "direction", "from", "to", "cc", "userId", "toCount", "ccCount", "subjectShortened"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal((2000, true), (json.RootElement.GetProperty("ccCount").GetInt32(), json.RootElement.GetProperty("subjectShortened").GetBoolean()));
    }
}
