using MailSync.Grains.Interfaces.NeverLog;

namespace MailSync.UnitTests.NeverLog;

public sealed class NeverLogValueTests
{
    [Theory]
    [InlineData(" Ann@Example.COM ", "ann@example.com")]
    [InlineData("Example.com", "example.com")]
    [InlineData("@example.com", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("ann@bücher.example", "ann@xn--bcher-kva.example")]
    public void Addresses_and_domains_are_stored_in_one_form(string input, string stored) =>
        Assert.Equal(stored, NeverLogValue.Normalize(input));

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("ann@")]
    [InlineData("@")]
    [InlineData("ann@127.0.0.1")]
    [InlineData("Ann <ann@example.com>")]
    [InlineData("ann example.com")]
    [InlineData("a,b@example.com")]
    [InlineData("exa_mple.com")]
    public void Anything_else_is_refused(string input) => Assert.Null(NeverLogValue.Normalize(input));

    [Fact]
    public void A_value_over_254_characters_is_refused() => Assert.Null(
        NeverLogValue.Normalize(new string('a', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".example"));

    [Fact]
    public void An_address_belongs_to_its_domain_and_every_domain_above_it_but_not_the_top_level() =>
        Assert.Equal(["eu.mail.example.com", "mail.example.com", "example.com"], NeverLogValue.DomainsOf("ann@eu.mail.example.com"));
}
