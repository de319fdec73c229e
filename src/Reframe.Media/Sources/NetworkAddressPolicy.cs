using System.Net;

namespace Reframe.Media.Sources;

/// <summary>
/// Decides which network endpoints Reframe may connect to on a user's behalf (input URLs, webhooks).
/// The default refuses every address that is not plain public unicast: loopback, private, shared (CGNAT),
/// link-local, unique-local, multicast, unspecified, broadcast, documentation and other reserved ranges, and the
/// IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) when the embedded address is refused.
/// It is applied to the address actually connected to (see <see cref="GuardedHttp"/>), so a name that resolves
/// to a private address, or starts to after a first check (DNS rebinding), is refused too.
/// </summary>
public sealed class NetworkAddressPolicy
{
    private readonly HashSet<IPEndPoint> _trustedEndpoints;

    /// <param name="allowPrivate">Allow everything (the guard is off).</param>
    /// <param name="trustedEndpoints">
    /// Exact address and port pairs allowed although their address is refused, for an operator's own internal
    /// file server. Kept to exact endpoints on purpose: trusting a whole host or range re-opens the hole.
    /// </param>
    public NetworkAddressPolicy(bool allowPrivate = false, IEnumerable<IPEndPoint>? trustedEndpoints = null)
    {
        AllowPrivate = allowPrivate;
        _trustedEndpoints = new HashSet<IPEndPoint>((trustedEndpoints ?? []).Select(Normalize));
    }

    /// <summary>The guard on: public unicast only.</summary>
    public static NetworkAddressPolicy PublicOnly { get; } = new();

    /// <summary>The guard off.</summary>
    public static NetworkAddressPolicy AllowAll { get; } = new(allowPrivate: true);

    public static NetworkAddressPolicy From(FetchSettings settings) => settings.AllowPrivateUrls ? AllowAll : PublicOnly;

    public bool AllowPrivate { get; }

    /// <summary>Why a connection to <paramref name="endpoint"/> is refused, or null when it is allowed.</summary>
    public string? RefusalReason(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (AllowPrivate || _trustedEndpoints.Contains(Normalize(endpoint)))
        {
            return null;
        }
        return AddressRanges.Classify(endpoint.Address);
    }

    /// <summary>
    /// Why a host name is refused before it is even resolved, or null. Resolution is checked again at connect
    /// time; this catches the well-known names early with a clear message (and names that only resolve inside a
    /// cloud, which a test machine cannot resolve).
    /// </summary>
    public string? RefusalReason(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        if (AllowPrivate)
        {
            return null;
        }
        var host = hostName.TrimEnd('.').ToLowerInvariant();
        if (host is "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return "a loopback name";
        }
        if (MetadataHostNames.Contains(host))
        {
            return "a cloud metadata service";
        }
        return null;
    }

    // Names that reach instance metadata (credentials!) from inside a cloud VM. Their addresses are refused
    // anyway; naming them gives the user a clear reason and works where they do not resolve.
    private static readonly HashSet<string> MetadataHostNames = new(StringComparer.Ordinal)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal",
        "instance-data", "instance-data.ec2.internal", "metadata.packet.net", "metadata.platformequinix.com",
        "metadata.tencentyun.com", "100-100-100-200.alibaba",
    };

    // IPv4-mapped addresses compare unequal to their IPv4 form; the trusted set holds one form only.
    private static IPEndPoint Normalize(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;
}
