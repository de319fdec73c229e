using Reframe.Core.Engines;
using Reframe.Core.Inputs;

namespace Reframe.Media.Sources;

/// <summary>
/// The production <see cref="IInputFetcher"/>: http(s) URLs through the SSRF-guarded <see cref="HttpDownloader"/>,
/// <c>data:</c> URIs through <see cref="DataUriDecoder"/>. The body streams into a temporary file beside the
/// destination, renamed into place only when complete; on any failure the temporary file is deleted, so a failed
/// fetch leaves nothing behind and a half-written file never carries the final name.
/// </summary>
public sealed class InputFetcher : IInputFetcher, IDisposable
{
    private readonly FetchSettings _settings;
    private readonly HttpClient _client;
    private readonly HttpDownloader _downloader;

    /// <summary>A fetcher with the policy the settings call for (public addresses only unless AllowPrivateUrls).</summary>
    public InputFetcher(FetchSettings settings, TimeProvider time)
        : this(settings, NetworkAddressPolicy.From(settings ?? throw new ArgumentNullException(nameof(settings))), time)
    {
    }

    /// <summary>A fetcher with an explicit policy, e.g. one trusting an operator's internal file server.</summary>
    /// <param name="settings">Limits.</param>
    /// <param name="policy">Which endpoints may be dialled.</param>
    /// <param name="time">Clock for the download time limit.</param>
    /// <param name="resolve">Name resolution (<see cref="GuardedHttp.SystemResolver"/> by default).</param>
    public InputFetcher(
        FetchSettings settings, NetworkAddressPolicy policy, TimeProvider time,
        Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? resolve = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        _client = GuardedHttp.CreateClient(policy, settings.ConnectTimeout, resolve);
        _downloader = new HttpDownloader(_client, settings, time);
    }

    public async Task<FetchedInput> FetchAsync(string urlOrDataUri, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destinationPath);
        var input = urlOrDataUri?.Trim();
        if (string.IsNullOrEmpty(input))
        {
            throw new ReframeFailure(TaskErrorNames.InvalidInput, "No input URL was given; send an http(s) URL or a data: URI.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(destinationPath))!;
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, $".{Path.GetFileName(destinationPath)}.{Guid.NewGuid():N}.part");
        try
        {
            long bytes;
            string? contentType;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             bufferSize: 0, FileOptions.Asynchronous))
            {
                (bytes, contentType) = DataUriDecoder.IsDataUri(input)
                    ? await DataUriDecoder.DecodeAsync(input, file, _settings.MaxDataUriBytes, cancellationToken)
                    : await _downloader.DownloadAsync(input, file, cancellationToken);
            }
            if (bytes == 0)
            {
                throw new ReframeFailure(TaskErrorNames.FileDownloadError,
                    "The URL answered with an empty body; check that it points at the file itself.");
            }
            File.Move(partial, destinationPath, overwrite: true);
            return new FetchedInput(destinationPath, bytes, contentType);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    public void Dispose() => _client.Dispose();

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the failure being reported matters more than a leftover the retention sweep removes.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
