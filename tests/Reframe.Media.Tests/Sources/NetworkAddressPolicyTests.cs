using System.Net;
using Reframe.Media.Sources;

namespace Reframe.Media.Tests.Sources;

/// <summary>The address table on its own: what is refused, and that public addresses are not.</summary>
public sealed class NetworkAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("192.0.0.170", "protocol-assignment")]
    [InlineData("192.0.2.1", "documentation")]
    [InlineData("198.19.255.255", "benchmarking")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback address embedded")]
    [InlineData("::ffff:192.168.1.1", "private address (192.168.0.0/16) embedded")]
    [InlineData("::10.0.0.1", "embedded")]
    [InlineData("64:ff9b::a9fe:a9fe", "metadata service (169.254.169.254) embedded")]
    [InlineData("2002:a00:1::", "embedded")]
    [InlineData("64:ff9b:1::1", "NAT64")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fdff:ffff::1", "unique-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2001::1", "Teredo")]
    [InlineData("100::1", "discard-only")]
    [InlineData("::2", "embedded")]
    [InlineData("4000::1", "outside 2000::/3")]
    public void RefusalReason_NamesTheRange_WhenAddressIsNotPublic(string address, string expected)
    {
        var reason = NetworkAddressPolicy.PublicOnly.RefusalReason(new IPEndPoint(IPAddress.Parse(address), 443));

        Assert.NotNull(reason);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")] // just below CGNAT
    [InlineData("100.128.0.0")]    // just above CGNAT
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.0")]     // just above
    [InlineData("169.253.255.255")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2002:808:808::1")] // 6to4 of a public address
    [InlineData("64:ff9b::808:808")] // NAT64 of a public address
    public void RefusalReason_IsNull_WhenAddressIsPublicUnicast(string address) =>
        Assert.Null(NetworkAddressPolicy.PublicOnly.RefusalReason(new IPEndPoint(IPAddress.Parse(address), 443)));

    [Fact]
    public void RefusalReason_AllowsOnlyTheExactEndpoint_WhenOneIsTrusted()
    {
        var policy = new NetworkAddressPolicy(trustedEndpoints: [new IPEndPoint(IPAddress.Loopback, 8080)]);

        Assert.Null(policy.RefusalReason(new IPEndPoint(IPAddress.Loopback, 8080)));
        Assert.Null(policy.RefusalReason(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 8080)));
        Assert.NotNull(policy.RefusalReason(new IPEndPoint(IPAddress.Loopback, 8081)));
        Assert.NotNull(policy.RefusalReason(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 8080)));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    [InlineData("foo.localhost")]
    [InlineData("metadata.google.internal")]
    [InlineData("Metadata.Google.Internal.")]
    [InlineData("instance-data.ec2.internal")]
    public void RefusalReason_RefusesName_WhenItIsLoopbackOrMetadataName(string host) =>
        Assert.NotNull(NetworkAddressPolicy.PublicOnly.RefusalReason(host));

    [Fact]
    public void RefusalReason_AllowsEverything_WhenPrivateIsAllowed()
    {
        Assert.Null(NetworkAddressPolicy.AllowAll.RefusalReason(new IPEndPoint(IPAddress.Loopback, 1)));
        Assert.Null(NetworkAddressPolicy.AllowAll.RefusalReason("metadata.google.internal"));
    }
}
