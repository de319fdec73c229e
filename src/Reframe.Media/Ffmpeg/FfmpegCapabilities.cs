namespace Reframe.Media.Ffmpeg;

/// <summary>What the installed ffmpeg can do, probed once per process (jellyfin's EncoderValidator idea).</summary>
/// <param name="HasLibx264">The H.264 encoder we need for browser-playable output.</param>
/// <param name="HasMinterpolate">The motion-compensated interpolation filter.</param>
/// <param name="VersionLine">ffmpeg's first version line, for logs.</param>
public sealed record FfmpegCapabilities(bool HasLibx264, bool HasMinterpolate, string VersionLine)
{
    /// <summary>Parses <c>ffmpeg -hide_banner -encoders</c>, <c>-filters</c> and <c>-version</c> output.</summary>
    public static FfmpegCapabilities Parse(string encoders, string filters, string version) => new(
        HasLibx264: ContainsName(encoders, "libx264"),
        HasMinterpolate: ContainsName(filters, "minterpolate"),
        VersionLine: version.Split('\n', 2)[0].Trim());

    private static bool ContainsName(string listing, string name) =>
        listing.Split('\n').Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(1).Contains(name, StringComparer.Ordinal));
}

/// <summary>
/// Probes <see cref="FfmpegCapabilities"/> once per ffmpeg executable for the whole process and caches the
/// answer (a failed probe is retried next time).
/// </summary>
public sealed class FfmpegCapabilityProbe(FfmpegRunner runner)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, FfmpegCapabilities> Known = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<FfmpegCapabilities> GetAsync(CancellationToken cancellationToken)
    {
        var key = runner.Settings.FfmpegPath;
        if (Known.TryGetValue(key, out var known))
        {
            return known;
        }
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (!Known.TryGetValue(key, out known))
            {
                var encoders = await runner.RunFfmpegAsync(["-hide_banner", "-encoders"], 1 << 20, cancellationToken);
                var filters = await runner.RunFfmpegAsync(["-hide_banner", "-filters"], 1 << 20, cancellationToken);
                var version = await runner.RunFfmpegAsync(["-version"], 1 << 20, cancellationToken);
                known = FfmpegCapabilities.Parse(
                    System.Text.Encoding.UTF8.GetString(encoders),
                    System.Text.Encoding.UTF8.GetString(filters),
                    System.Text.Encoding.UTF8.GetString(version));
                Known[key] = known;
            }
            return known;
        }
        finally
        {
            Gate.Release();
        }
    }
}
