using System.Net;
using MailSync.Shared.Network;

namespace MailSync.UnitTests.Sync;

public sealed class PublicAddressTests
{
    [Theory]
    // IPv4: loopback, private, link-local and cloud metadata, carrier-grade NAT, this network, multicast, reserved
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    // IPv4: IETF protocol assignments, benchmarking, Azure's wire server, documentation, 6to4 relay anycast
    [InlineData("192.0.0.1", false)]
    [InlineData("192.0.0.255", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("198.19.255.255", false)]
    [InlineData("168.63.129.16", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("198.51.100.7", false)]
    [InlineData("203.0.113.200", false)]
    [InlineData("192.88.99.1", false)]
    // IPv4: public, including the neighbours of the ranges above
    [InlineData("142.250.102.108", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("192.0.1.1", true)]
    [InlineData("192.0.3.1", true)]
    [InlineData("198.17.255.255", true)]
    [InlineData("198.20.0.1", true)]
    [InlineData("168.63.129.17", true)]
    [InlineData("198.51.101.1", true)]
    [InlineData("203.0.114.1", true)]
    [InlineData("223.255.255.255", true)]
    // IPv6: loopback, unspecified, link-local, site-local, unique local, multicast, documentation, discard-only
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fec0::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("100::1", false)]
    // IPv6: Teredo (tunnelled to an address we cannot vet) and local-use NAT64, whatever they carry
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)]
    [InlineData("2001:0:808:808::1", false)]
    [InlineData("64:ff9b:1::8.8.8.8", false)]
    [InlineData("64:ff9b:1:ffff::1", false)]
    // IPv6 carrying an IPv4 address: judged as that address
    [InlineData("::ffff:10.0.0.1", false)] // IPv4-mapped
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("::10.0.0.1", false)] // IPv4-compatible
    [InlineData("::169.254.169.254", false)]
    [InlineData("::8.8.8.8", true)]
    [InlineData("::ffff:0:192.168.0.1", false)] // IPv4-translated (SIIT)
    [InlineData("::ffff:0:8.8.8.8", true)]
    [InlineData("64:ff9b::10.0.0.1", false)] // NAT64 well-known prefix
    [InlineData("64:ff9b::127.0.0.1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)] // 169.254.169.254
    [InlineData("64:ff9b::168.63.129.16", false)]
    [InlineData("64:ff9b::8.8.8.8", true)]
    [InlineData("2002:0a00:0001::1", false)] // 6to4 of 10.0.0.1
    [InlineData("2002:7f00:0001::", false)] // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe:1::1", false)] // 6to4 of 169.254.169.254
    [InlineData("2002:c000:0201::1", false)] // 6to4 of 192.0.2.1
    [InlineData("2002:0808:0808::1", true)] // 6to4 of 8.8.8.8
    // IPv6: public
    [InlineData("2a00:1450:400c:c0b::6c", true)]
    [InlineData("2001:4860:4860::8888", true)] // next to Teredo's 2001::/32, not in it
    [InlineData("2003::1", true)] // next to 6to4's 2002::/16
    public void Only_public_internet_addresses_are_public(string address, bool expected)
    {
        Assert.Equal(expected, PublicAddress.Is(IPAddress.Parse(address)));
    }

    [Fact]
    public void A_link_local_address_with_a_scope_is_not_public()
    {
        Assert.False(PublicAddress.Is(IPAddress.Parse("fe80::1%2")));
    }
}
