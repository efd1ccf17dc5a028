using System.Net;
using System.Net.Sockets;

namespace MailSync.Shared.Network;

/// <summary>
/// Whether an address is on the public internet. Users name their own IMAP servers, so without this check any user
/// could make the silo probe loopback, the cluster's private network or a cloud metadata endpoint. An IPv6 address that
/// carries an IPv4 address (mapped, compatible, SIIT, NAT64, 6to4) is judged as that IPv4 address, since a dual stack,
/// a translator or a relay delivers it there.
/// </summary>
public static class PublicAddress
{
    /// <summary>IPv4 ranges that are not the public internet (RFC 6890 and cloud-specific addresses).</summary>
    private static readonly Network[] NonPublicV4 =
    [
        new("0.0.0.0", 8), // this network
        new("10.0.0.0", 8), // private
        new("100.64.0.0", 10), // carrier-grade NAT
        new("127.0.0.0", 8), // loopback
        new("168.63.129.16", 32), // Azure's wire server (DHCP, DNS, health probes, instance metadata of old)
        new("169.254.0.0", 16), // link-local, cloud metadata
        new("172.16.0.0", 12), // private
        new("192.0.0.0", 24), // IETF protocol assignments
        new("192.0.2.0", 24), // documentation (TEST-NET-1)
        new("192.88.99.0", 24), // 6to4 relay anycast (deprecated)
        new("192.168.0.0", 16), // private
        new("198.18.0.0", 15), // benchmarking
        new("198.51.100.0", 24), // documentation (TEST-NET-2)
        new("203.0.113.0", 24), // documentation (TEST-NET-3)
        new("224.0.0.0", 4), // multicast
        new("240.0.0.0", 4), // reserved, limited broadcast
    ];

    /// <summary>IPv6 ranges that are not the public internet and carry no IPv4 address judged on its own.</summary>
    private static readonly Network[] NonPublicV6 =
    [
        new("::", 128), // unspecified
        new("::1", 128), // loopback
        new("64:ff9b:1::", 48), // local-use NAT64 (RFC 8215): translated inside some operator's own network
        new("100::", 64), // discard-only
        new("2001::", 32), // Teredo: tunnelled through a relay to an address we cannot vet
        new("2001:db8::", 32), // documentation
        new("fc00::", 7), // unique local
        new("fe80::", 10), // link-local
        new("fec0::", 10), // site-local (deprecated)
        new("ff00::", 8), // multicast
    ];

    /// <summary>IPv6 prefixes followed by an IPv4 address in the last 32 bits.</summary>
    private static readonly Network[] EmbeddingV4AtTheEnd =
    [
        new("::", 96), // IPv4-compatible (deprecated), ::a.b.c.d
        new("::ffff:0:0", 96), // IPv4-mapped, ::ffff:a.b.c.d
        new("::ffff:0:0:0", 96), // IPv4-translated (SIIT), ::ffff:0:a.b.c.d
        new("64:ff9b::", 96), // NAT64 well-known prefix
    ];

    /// <summary>6to4: 2002:AABB:CCDD::/48 routes to the IPv4 address A.B.C.D.</summary>
    private static readonly Network SixToFour = new("2002::", 16);

    public static bool Is(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsPublicV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        var bytes = address.GetAddressBytes();
        if (NonPublicV6.Any(n => n.Contains(bytes))) return false;
        if (EmbeddedV4(bytes) is { } v4) return IsPublicV4(v4);
        return true;
    }

    /// <summary>The IPv4 address (4 bytes) an IPv6 address carries, or null when it carries none.</summary>
    private static byte[]? EmbeddedV4(byte[] v6)
    {
        if (EmbeddingV4AtTheEnd.Any(n => n.Contains(v6))) return v6[12..16];
        if (SixToFour.Contains(v6)) return v6[2..6];
        return null;
    }

    private static bool IsPublicV4(byte[] v4) => !NonPublicV4.Any(n => n.Contains(v4));

    /// <summary>An address range in CIDR notation.</summary>
    private sealed class Network(string address, int prefixLength)
    {
        private readonly byte[] prefix = IPAddress.Parse(address).GetAddressBytes();

        public bool Contains(byte[] candidate)
        {
            if (candidate.Length != prefix.Length) return false;
            var whole = prefixLength / 8;
            for (var i = 0; i < whole; i++)
            {
                if (candidate[i] != prefix[i]) return false;
            }
            var rest = prefixLength % 8;
            if (rest == 0) return true;
            var mask = (byte)(0xFF << (8 - rest));
            return (candidate[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
