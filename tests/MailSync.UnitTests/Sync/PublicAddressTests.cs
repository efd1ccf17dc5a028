using System.Net;
using MailSync.Shared.Network;

namespace MailSync.UnitTests.Sync;

public sealed class PublicAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("142.250.102.108", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2a00:1450:400c:c0b::6c", true)]
    public void Only_public_internet_addresses_are_public(string address, bool expected)
    {
        Assert.Equal(expected, PublicAddress.Is(IPAddress.Parse(address)));
    }
}
