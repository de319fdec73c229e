using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Reframe.Media.Sources;

/// <summary>
/// The IANA special-purpose registries (RFC 6890 and successors) reduced to one question: is this address plain
/// public unicast? IPv4 is a deny-list of special ranges; IPv6 is an allow-list (global unicast 2000::/3) minus
/// special ranges, with embedded IPv4 forms judged by their IPv4 address.
/// </summary>
internal static class AddressRanges
{
    private static readonly (uint Network, int Prefix, string Reason)[] RefusedV4 =
    [
        (0x00000000, 8, "an unspecified (\"this network\") address"),
        (0x0A000000, 8, "a private address (10.0.0.0/8)"),
        (0x64400000, 10, "a shared carrier-grade NAT address (100.64.0.0/10)"),
        (0x7F000000, 8, "a loopback address"),
        (0xA9FEA9FE, 32, "the cloud metadata service (169.254.169.254)"),
        (0xA9FE0000, 16, "a link-local address (169.254.0.0/16)"),
        (0xAC100000, 12, "a private address (172.16.0.0/12)"),
        (0xC0000000, 24, "a reserved protocol-assignment address (192.0.0.0/24)"),
        (0xC0000200, 24, "a documentation address (192.0.2.0/24)"),
        (0xC0586300, 24, "a reserved 6to4 relay address (192.88.99.0/24)"),
        (0xC0A80000, 16, "a private address (192.168.0.0/16)"),
        (0xC6120000, 15, "a benchmarking address (198.18.0.0/15)"),
        (0xC6336400, 24, "a documentation address (198.51.100.0/24)"),
        (0xCB007100, 24, "a documentation address (203.0.113.0/24)"),
        (0xE0000000, 4, "a multicast address"),
        (0xFFFFFFFF, 32, "the broadcast address"),
        (0xF0000000, 4, "a reserved address (240.0.0.0/4)"),
    ];

    private static readonly (UInt128 Network, int Prefix, string Reason)[] RefusedV6 =
    [
        (V6("fd00:ec2::254"), 128, "the cloud metadata service (fd00:ec2::254)"),
        (V6("64:ff9b:1::"), 48, "a local-use NAT64 address (64:ff9b:1::/48)"),
        (V6("100::"), 64, "a discard-only address (100::/64)"),
        (V6("2001::"), 23, "a reserved protocol-assignment address (2001::/23, Teredo included)"),
        (V6("2001:db8::"), 32, "a documentation address (2001:db8::/32)"),
        (V6("3fff::"), 20, "a documentation address (3fff::/20)"),
        (V6("5f00::"), 16, "a segment-routing address (5f00::/16)"),
        (V6("fc00::"), 7, "a unique-local address (fc00::/7)"),
        (V6("fe80::"), 10, "a link-local address (fe80::/10)"),
        (V6("fec0::"), 10, "a site-local address (fec0::/10)"),
        (V6("ff00::"), 8, "a multicast address"),
    ];

    private static readonly UInt128 NatSixtyFourPrefix = V6("64:ff9b::");

    /// <summary>The reason an address is refused, or null for public unicast.</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        var bits = BinaryPrimitives.ReadUInt128BigEndian(address.GetAddressBytes());
        if (bits == UInt128.Zero)
        {
            return "an unspecified address (::)";
        }
        if (bits == UInt128.One)
        {
            return "a loopback address (::1)";
        }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible) reach the IPv4 address on dual-stack hosts.
        if (bits >> 32 == 0xFFFF || bits >> 32 == 0)
        {
            return Embedded(ClassifyV4((uint)bits));
        }
        // 64:ff9b::a.b.c.d is translated to a.b.c.d by a NAT64 gateway.
        if (bits >> 32 == NatSixtyFourPrefix >> 32)
        {
            return Embedded(ClassifyV4((uint)bits));
        }
        // 2002:AABB:CCDD::/48 (6to4) tunnels to AA.BB.CC.DD.
        if (bits >> 112 == 0x2002)
        {
            return Embedded(ClassifyV4((uint)(bits >> 80)));
        }
        foreach (var (network, prefix, reason) in RefusedV6)
        {
            if (InPrefix(bits, network, prefix))
            {
                return reason;
            }
        }
        // Outside 2000::/3 nothing is assigned for public unicast.
        return bits >> 125 == 1 ? null : "a reserved IPv6 address (outside 2000::/3)";
    }

    private static string? ClassifyV4(uint bits)
    {
        foreach (var (network, prefix, reason) in RefusedV4)
        {
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            if ((bits & mask) == network)
            {
                return reason;
            }
        }
        return null;
    }

    private static string? Embedded(string? v4Reason) => v4Reason is null ? null : $"{v4Reason} embedded in an IPv6 address";

    private static bool InPrefix(UInt128 bits, UInt128 network, int prefix)
    {
        var mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
        return (bits & mask) == network;
    }

    private static UInt128 V6(string text) => BinaryPrimitives.ReadUInt128BigEndian(IPAddress.Parse(text).GetAddressBytes());
}
