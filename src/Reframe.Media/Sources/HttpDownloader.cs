using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Reframe.Core.Engines;

namespace Reframe.Media.Sources;

/// <summary>
/// Streams an http(s) URL into a stream, following redirects one hop at a time (each hop re-validated and, through
/// the guarded client, re-checked at connect time), within a byte limit and a time limit. Every failure is a
/// <see cref="ReframeFailure"/> named <c>file_download_error</c> (or <c>invalid_input</c> for a malformed URL),
/// except cancellation by the caller, which stays an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class HttpDownloader
{
    private const int CopyBufferBytes = 81920;

    private readonly HttpClient _client;
    private readonly FetchSettings _settings;
    private readonly TimeProvider _time;

    /// <param name="client">A client from <see cref="GuardedHttp.CreateClient"/> (redirects off, guard on).</param>
    public HttpDownloader(HttpClient client, FetchSettings settings, TimeProvider time)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Downloads <paramref name="url"/> into <paramref name="destination"/>; returns the byte count and declared type.</summary>
    public async Task<(long Bytes, string? ContentType)> DownloadAsync(
        string url, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(destination);
        var uri = SourceUrl.Parse(url, TaskErrorNames.InvalidInput, _settings);

        using var deadline = new CancellationTokenSource(_settings.DownloadTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        // The hop being fetched, so that a failure after a redirect names the URL that failed.
        var hop = new StrongBox<Uri>(uri);
        try
        {
            return await DownloadFollowingRedirectsAsync(hop, destination, linked.Token);
        }
        catch (LocalWriteFailure failure)
        {
            // Our disk, not the network: rethrown as it was so the worker can report it (e.g. storage_full).
            ExceptionDispatchInfo.Throw(failure.InnerException!);
            throw;
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw deadline.IsCancellationRequested
                ? new ReframeFailure(TaskErrorNames.FileDownloadError,
                    $"Downloading from {SourceUrl.Describe(hop.Value!)} took longer than the " +
                    $"{_settings.DownloadTimeout.TotalSeconds:0.#} s limit; use a faster host or a smaller file.", error)
                : new ReframeFailure(TaskErrorNames.FileDownloadError,
                    $"{SourceUrl.Describe(hop.Value!)} did not accept a connection within " +
                    $"{_settings.ConnectTimeout.TotalSeconds:0.#} s; check the URL is public and reachable.", error);
        }
        catch (Exception error) when (AddressRefusedException.FindIn(error) is { } refused)
        {
            throw Refused(hop.Value!, refused, error);
        }
        catch (HttpRequestException error)
        {
            throw Explain(hop.Value!, error);
        }
        catch (IOException error)
        {
            throw new ReframeFailure(TaskErrorNames.FileDownloadError,
                $"The connection to {SourceUrl.Describe(hop.Value!)} broke during the download; " +
                "check that the URL serves the whole file.", error);
        }
    }

    private async Task<(long, string?)> DownloadFollowingRedirectsAsync(
        StrongBox<Uri> current, Stream destination, CancellationToken token)
    {
        for (var hop = 0; ; hop++)
        {
            var uri = current.Value!;
            using var request = new HttpRequestMessage(HttpMethod.Get, uri)
            {
                // Never HTTP/3: QUIC connections bypass the guarded connect callback.
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);

            if (IsRedirect(response.StatusCode))
            {
                if (hop >= _settings.MaxRedirects)
                {
                    throw new ReframeFailure(TaskErrorNames.FileDownloadError,
                        $"{SourceUrl.Describe(uri)} redirected more than {_settings.MaxRedirects} times; give the final URL instead.");
                }
                var location = response.Headers.Location
                    ?? throw new ReframeFailure(TaskErrorNames.FileDownloadError,
                        $"{SourceUrl.Describe(uri)} answered a redirect without a Location header.");
                // The server, not the user, chose this URL: name the failure after the download.
                current.Value = SourceUrl.Parse(
                    location.OriginalString, TaskErrorNames.FileDownloadError, _settings, relativeTo: uri);
                continue;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new ReframeFailure(TaskErrorNames.FileDownloadError,
                    $"{SourceUrl.Describe(uri)} answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase}); " +
                    "check that the URL is public and still valid.");
            }
            if (response.Content.Headers.ContentLength is { } declared && declared > _settings.MaxDownloadBytes)
            {
                throw TooLarge(uri, declared);
            }

            await using var body = await response.Content.ReadAsStreamAsync(token);
            var bytes = await CopyWithLimitAsync(uri, body, destination, token);
            return (bytes, response.Content.Headers.ContentType?.MediaType);
        }
    }

    private async Task<long> CopyWithLimitAsync(Uri uri, Stream body, Stream destination, CancellationToken token)
    {
        var buffer = new byte[CopyBufferBytes];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, token)) > 0)
        {
            total += read;
            // Checked as bytes arrive, not against Content-Length: a server can lie or send none.
            if (total > _settings.MaxDownloadBytes)
            {
                throw TooLarge(uri, total);
            }
            try
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), token);
            }
            catch (IOException error)
            {
                throw new LocalWriteFailure(error);
            }
        }
        return total;
    }

    private ReframeFailure TooLarge(Uri uri, long bytes) =>
        new(TaskErrorNames.FileDownloadError,
            $"The file at {SourceUrl.Describe(uri)} is larger than the {Megabytes(_settings.MaxDownloadBytes)} download limit " +
            $"(at least {Megabytes(bytes)}); send a shorter or more compressed clip.");

    private static ReframeFailure Explain(Uri uri, HttpRequestException error)
    {
        var socketError = (error.InnerException as SocketException)?.SocketErrorCode;
        var what = socketError switch
        {
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "its host name does not resolve",
            SocketError.ConnectionRefused => "the server refused the connection",
            SocketError.TimedOut => "the server did not answer",
            _ => error.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "its host name does not resolve",
                HttpRequestError.SecureConnectionError => "its TLS certificate or handshake is not valid",
                HttpRequestError.ResponseEnded => "the server closed the connection early",
                _ => "the connection failed",
            },
        };
        return new ReframeFailure(TaskErrorNames.FileDownloadError,
            $"Could not download from {SourceUrl.Describe(uri)}: {what}. Check the URL is public and reachable.", error);
    }

    private static ReframeFailure Refused(Uri uri, AddressRefusedException refused, Exception error) =>
        new(TaskErrorNames.FileDownloadError,
            $"Refused to fetch {SourceUrl.Describe(uri)}: {refused.Message} Use a publicly reachable URL or a data: URI.",
            error);

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    internal static string Megabytes(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024.0):0.#} MiB" : $"{bytes:N0} bytes";

    /// <summary>Carries a write error of the destination past the network error handlers.</summary>
    private sealed class LocalWriteFailure(IOException inner) : Exception(inner.Message, inner);
}
