using System.Net;
using System.Net.Sockets;

namespace MailSync.Shared.Network;

/// <summary>
/// Whether an address is on the public internet. Users name their own IMAP servers, so without this check any user
/// could make the silo probe loopback, the cluster's private network or a cloud metadata endpoint.
/// </summary>
public static class PublicAddress
{
    public static bool Is(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC);
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 // this network, private, loopback, multicast and reserved
            || (b[0] == 100 && b[1] >= 64 && b[1] < 128) // carrier-grade NAT
            || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
            || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
            || (b[0] == 192 && b[1] == 168));
    }
}
