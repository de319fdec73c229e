using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Reframe.Media.Sources;

/// <summary>
/// Builds <see cref="HttpClient"/>s whose every TCP connection is checked against a <see cref="NetworkAddressPolicy"/>
/// at connect time: the host is resolved here, each resolved address is judged, and the socket is opened to the
/// judged address itself. There is no second resolution between check and use, so DNS rebinding cannot slip
/// through, and no proxy, which would otherwise make the connection on our behalf. Redirects are never followed
/// automatically: a caller that follows them (see <see cref="HttpDownloader"/>) sends each hop through the same
/// check. Use this for any request to a user-chosen URL (inputs, webhooks).
/// </summary>
public static class GuardedHttp
{
    /// <summary>The system resolver (getaddrinfo: DNS, /etc/hosts, numeric forms).</summary>
    public static readonly Func<string, CancellationToken, Task<IPAddress[]>> SystemResolver = Dns.GetHostAddressesAsync;

    /// <summary>A handler that connects only where <paramref name="policy"/> allows.</summary>
    /// <param name="policy">Which endpoints may be dialled.</param>
    /// <param name="connectTimeout">Budget for opening one connection.</param>
    /// <param name="resolve">Name resolution, <see cref="SystemResolver"/> by default (another for a custom DNS).</param>
    public static SocketsHttpHandler CreateHandler(
        NetworkAddressPolicy policy, TimeSpan connectTimeout, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        resolve ??= SystemResolver;
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            // Bytes on the wire are bytes on disk: no transparent gzip, so no compression bomb behind the byte limit.
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = connectTimeout,
            // A pooled connection was checked when it opened; recycle it so a long-lived client re-resolves names.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, resolve, cancellationToken),
        };
    }

    /// <summary>
    /// A client over <see cref="CreateHandler"/> with no overall timeout (callers bound each call). Requests default
    /// to HTTP/1.1-or-lower: HTTP/3 runs over QUIC, which does not go through the connect callback, so it must never
    /// be negotiated on a guarded client (callers that build their own requests must keep that policy).
    /// </summary>
    public static HttpClient CreateClient(
        NetworkAddressPolicy policy, TimeSpan connectTimeout, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        var client = new HttpClient(CreateHandler(policy, connectTimeout, resolve), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Reframe/1.0");
        return client;
    }

    /// <summary>
    /// Resolves once, judges every address, and connects to a judged address: the stream returned is to an
    /// address the policy allowed, whatever the resolver answers next time.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(
        NetworkAddressPolicy policy, DnsEndPoint endpoint, Func<string, CancellationToken, Task<IPAddress[]>> resolve,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(resolve);

        var host = endpoint.Host.Trim('[', ']');
        if (policy.RefusalReason(host) is { } nameReason)
        {
            throw new AddressRefusedException(host, host, nameReason);
        }

        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await resolve(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // Refuse the host if any of its addresses is refused: a name that mixes public and private records is
        // either misconfigured or an attack, and picking "the good one" would make the outcome depend on order.
        var candidates = new List<IPEndPoint>(addresses.Length);
        foreach (var address in addresses)
        {
            // Judge and dial the plain IPv4 form of a mapped address: same destination, no dual-mode socket needed.
            var candidate = new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, endpoint.Port);
            if (policy.RefusalReason(candidate) is { } reason)
            {
                throw new AddressRefusedException(host, address.ToString(), reason);
            }
            candidates.Add(candidate);
        }

        Exception? lastError = null;
        foreach (var candidate in candidates)
        {
            var socket = new Socket(candidate.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(candidate, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                lastError = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw lastError!;
    }
}
