using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Reframe.Client;

/// <summary>
/// A typed client of the reframe contract (<c>POST/GET/DELETE /video/generations</c> under a base URL such as
/// <c>http://localhost:8080/v2/</c> or <c>https://api.aimlapi.com/v2/</c>). Thread-safe; reuse one instance.
/// </summary>
public sealed class ReframeClient : IDisposable
{
    private const string GenerationsPath = "video/generations";
    private const string EventsPath = "video/generations/events";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseUri;
    private readonly string _apiKey;

    /// <param name="baseUri">The API root including the version segment, e.g. <c>http://localhost:8080/v2</c>.</param>
    /// <param name="apiKey">The bearer key.</param>
    public ReframeClient(Uri baseUri, string apiKey)
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, baseUri, apiKey, ownsHttp: true)
    {
    }

    /// <summary>Uses a caller-owned <see cref="HttpClient"/> (e.g. from IHttpClientFactory); it is not disposed.
    /// Its timeout should be infinite or long: <see cref="WatchAsync"/> holds one response open for the whole task.</summary>
    public ReframeClient(HttpClient httpClient, Uri baseUri, string apiKey)
        : this(httpClient, baseUri, apiKey, ownsHttp: false)
    {
    }

    private ReframeClient(HttpClient httpClient, Uri baseUri, string apiKey, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException("the base URI must be absolute, e.g. http://localhost:8080/v2", nameof(baseUri));
        }
        _http = httpClient;
        _ownsHttp = ownsHttp;
        // A trailing slash makes relative paths append to ".../v2/" instead of replacing "v2".
        _baseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _apiKey = apiKey;
    }

    /// <summary>The API root every path is resolved against (always ends with a slash).</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>Creates a task. The answer carries its id and status <c>queued</c>.</summary>
    public async Task<Generation> SubmitAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = NewRequest(HttpMethod.Post, GenerationsPath);
        message.Content = JsonContent(request);
        return await SendForGenerationAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a task. Unknown ids (and other keys' ids) throw <see cref="ReframeApiException"/> with 404.</summary>
    public async Task<Generation> GetAsync(string generationId, CancellationToken cancellationToken = default)
    {
        using var message = NewRequest(HttpMethod.Get, WithId(GenerationsPath, generationId));
        return await SendForGenerationAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the server to cancel a task (Reframe extension). A queued task ends at once, a running one at its
    /// next safe point; read it or wait for it to see the final <c>error</c>/<c>cancelled</c> state.
    /// A task that already ended is deleted instead, with its result (the server answers 204).
    /// </summary>
    /// <returns>The task's state right after the request (Reframe answers 202 with it); null when an ended task was deleted.</returns>
    public async Task<Generation?> CancelAsync(string generationId, CancellationToken cancellationToken = default)
    {
        using var message = NewRequest(HttpMethod.Delete, WithId(GenerationsPath, generationId));
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }
        return await ReadGenerationAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The live state of a task as Server-Sent Events (Reframe extension): one <see cref="Generation"/> per
    /// change of status, queue position or progress, ending after the terminal one.
    /// </summary>
    public async IAsyncEnumerable<Generation> WatchAsync(
        string generationId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var message = NewRequest(HttpMethod.Get, WithId(EventsPath, generationId));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var sse in ServerSentEventReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                if (sse.Data.Length == 0 || sse.Data[0] != '{')
                {
                    continue;
                }
                var generation = JsonSerializer.Deserialize(sse.Data, ReframeJsonContext.Default.Generation);
                if (generation is null)
                {
                    continue;
                }
                yield return generation;
                if (generation.IsTerminal)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>
    /// Waits until the task ends and returns its final state (<c>completed</c> or <c>error</c>; a failed
    /// generation is returned, not thrown). Follows the event stream when the server has one and polls
    /// otherwise (the hosted API has none), reporting every state it sees to <paramref name="progress"/>.
    /// </summary>
    public async Task<Generation> WaitAsync(
        string generationId,
        IProgress<Generation>? progress = null,
        WaitOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= WaitOptions.Default;
        if (options.UseEvents)
        {
            try
            {
                await foreach (var state in WatchAsync(generationId, cancellationToken).ConfigureAwait(false))
                {
                    progress?.Report(state);
                    if (state.IsTerminal)
                    {
                        return state;
                    }
                }
                // The stream ended early (a proxy cut it, the server restarted): polling finishes the job.
            }
            catch (ReframeApiException)
            {
                // No event endpoint on this server (the hosted API answers 404 or 400 there). A real problem
                // (unknown id, revoked key) is reported by the first poll with the contract's own error.
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // A dropped stream is not a failed task: fall back to polling.
            }
        }
        return await PollAsync(generationId, progress, options.PollInterval, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Submits and waits: the whole round trip in one call.</summary>
    public async Task<Generation> RunAsync(
        GenerationRequest request,
        IProgress<Generation>? progress = null,
        WaitOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var created = await SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        progress?.Report(created);
        return created.IsTerminal ? created : await WaitAsync(created.Id, progress, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a completed task's video to <paramref name="destination"/>: fetched from its URL, or decoded
    /// when the server returned it inline (<c>sync_mode</c>). The API key is never sent with the download:
    /// result URLs are capabilities on their own and may point at another host (a CDN).
    /// </summary>
    public async Task DownloadAsync(Generation generation, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generation);
        ArgumentNullException.ThrowIfNull(destination);
        var url = generation.Video?.Url
            ?? throw new InvalidOperationException($"generation {generation.Id} has no video (status {generation.Status})");
        if (DataUri.IsDataUri(url))
        {
            var bytes = DataUri.Decode(url, out _);
            await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            return;
        }
        var target = new Uri(_baseUri, url); // relative URLs resolve against the API's host
        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"refusing to download a {target.Scheme}: URL");
        }
        using var response = await _http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads a completed task's video to a file (written to a temporary name, then moved).</summary>
    public async Task DownloadToFileAsync(Generation generation, string path, CancellationToken cancellationToken = default)
    {
        var partial = path + ".part";
        try
        {
            var file = File.Create(partial);
            await using (file.ConfigureAwait(false))
            {
                await DownloadAsync(generation, file, cancellationToken).ConfigureAwait(false);
            }
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<Generation> PollAsync(string generationId, IProgress<Generation>? progress, TimeSpan interval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = await GetAsync(generationId, cancellationToken).ConfigureAwait(false);
            progress?.Report(state);
            if (state.IsTerminal)
            {
                return state;
            }
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string relative)
    {
        var message = new HttpRequestMessage(method, new Uri(_baseUri, relative));
        // Per request, not on DefaultRequestHeaders: a shared HttpClient must not leak the key to downloads.
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        return message;
    }

    private static string WithId(string path, string generationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(generationId);
        // Ids contain ':' and '/', which must not reach the query unescaped.
        return $"{path}?generation_id={Uri.EscapeDataString(generationId)}";
    }

    private static HttpContent JsonContent(GenerationRequest request)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(request, ReframeJsonContext.Default.GenerationRequest);
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task<Generation> SendForGenerationAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await ReadGenerationAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Generation> ReadGenerationAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(body, ReframeJsonContext.Default.Generation)
                ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new ReframeApiException(response.StatusCode, null, Trim(body), e);
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var raw = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ApiErrorBody? body = null;
        try
        {
            body = raw.StartsWith('{') ? JsonSerializer.Deserialize(raw, ReframeJsonContext.Default.ApiErrorBody) : null;
        }
        catch (JsonException)
        {
            // Not the contract's error shape (a proxy's HTML page, say): the raw text is still reported.
        }
        throw new ReframeApiException(response.StatusCode, body, Trim(raw));
    }

    private static string Trim(string text) => text.Length <= 4096 ? text : text[..4096] + "…";
}
