using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Timeline;

namespace MailSync.UnitTests.Timeline;

public sealed class TableEntitySizeTests
{
    [Fact]
    public void Size_follows_Azures_rule_keys_then_name_and_value_of_each_property()
    {
        var entity = new TableEntity("pk", "rk")
        {
            ["Subject"] = "abc", ["Date"] = DateTimeOffset.UnixEpoch, ["Count"] = 7, ["Flag"] = true, ["Data"] = new byte[5], ["Nothing"] = null,
        };

        var expected =
            4 + 2 * 4 // keys
            + 8 + 2 * 7 + 4 + 2 * 3 // Subject: string
            + 8 + 2 * 4 + 8 // Date
            + 8 + 2 * 5 + 4 // Count: Int32
            + 8 + 2 * 4 + 1 // Flag: Boolean
            + 8 + 2 * 4 + 4 + 5; // Data: binary; a null is not stored
        Assert.Equal(expected, TableEntitySize.Of(entity));
    }

    [Fact]
    public void An_entity_of_exactly_1_MiB_fits()
    {
        var entity = Large(lastStringLength: 12_133, withFlag: false);

        Assert.Equal(1_048_576, TableEntitySize.Of(entity));
        Assert.Null(TableEntitySize.Refusal(entity));
    }

    [Fact]
    public void An_entity_of_1_MiB_and_one_byte_is_refused_for_its_size()
    {
        var entity = Large(lastStringLength: 12_128, withFlag: true);

        Assert.Equal(1_048_577, TableEntitySize.Of(entity));
        Assert.Equal("the stored email would exceed Azure Table storage's 1 MiB entity limit", TableEntitySize.Refusal(entity));
    }

    [Fact]
    public void A_string_of_64_KiB_fits_and_one_character_more_is_refused_naming_the_field()
    {
        var fits = new TableEntity("p", "r") { ["Subject"] = new string('s', 32_766) }; // 4 + 2 × 32,766 = 65,536 bytes
        var tooLarge = new TableEntity("p", "r") { ["Subject"] = new string('s', 32_767) };

        Assert.Equal(65_536, TableEntitySize.ValueBytes(fits["Subject"]));
        Assert.Null(TableEntitySize.Refusal(fits));
        Assert.Equal("its Subject would exceed Azure Table storage's 64 KiB limit for one field", TableEntitySize.Refusal(tooLarge));
    }

    [Fact]
    public void A_key_of_512_characters_fits_and_513_is_refused()
    {
        Assert.Null(TableEntitySize.Refusal(new TableEntity("p", new string('k', 512))));
        Assert.Contains("too long for an Azure Table storage key", TableEntitySize.Refusal(new TableEntity("p", new string('k', 513))));
        Assert.Contains("too long for an Azure Table storage key", TableEntitySize.Refusal(new TableEntity(new string('k', 513), "r")));
    }

    [Fact]
    public void The_largest_bounded_entry_fits_with_room_to_spare_even_with_addresses_JSON_must_escape()
    {
        string Address(char c) => new string(c, 244) + "@x.example"; // 254 characters
        var entry = new TimelineEntry(
            "lee", new string('m', 5000), new string('s', 40_000), DateTimeOffset.UnixEpoch, MessageDirection.Received, new string('f', 5000),
            [.. Enumerable.Repeat(Address('"'), 2000)], [.. Enumerable.Repeat(Address('\u0001'), 2000)], "ann");

        var entity = AzureTimelineStore.ToEntity("acme", entry);

        Assert.Null(TableEntitySize.Refusal(entity));
        Assert.True(TableEntitySize.Of(entity) < 256 * 1024, $"{TableEntitySize.Of(entity)} bytes");
        Assert.All(new[] { "To", "Cc" }, name => Assert.True(entity.GetString(name).Length <= AzureTimelineStore.MaxAddressListChars));
    }

    /// <summary>
    /// Keys "p" and "r" (8 bytes), sixteen 32,000-character strings S00…S15 (64,018 bytes each, 1,024,288 in all), a
    /// string T (14 + 2 × its length) and, if asked, a Boolean B (11).
    /// </summary>
    private static TableEntity Large(int lastStringLength, bool withFlag)
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 16; i++) entity[$"S{i:D2}"] = new string('x', 32_000);
        entity["T"] = new string('t', lastStringLength);
        if (withFlag) entity["B"] = true;
        return entity;
    }
}
