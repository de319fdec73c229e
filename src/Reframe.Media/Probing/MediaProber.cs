using Reframe.Core.Engines;
using Reframe.Media.Ffmpeg;

namespace Reframe.Media.Probing;

/// <summary>
/// Probes a local file with ffprobe and checks it against the input limits. Anything unreadable, unexpected
/// or hostile becomes a <see cref="ReframeFailure"/> named <c>unsupported_media</c> with a message a user can act on.
/// </summary>
public sealed class MediaProber(FfmpegRunner runner)
{
    private const int MaxProbeOutputBytes = 4 << 20;

    public async Task<MediaInfo> ProbeVideoAsync(string path, CancellationToken cancellationToken)
    {
        var settings = runner.Settings;
        var info = await ProbeAsync(path, "source video", cancellationToken);
        if (!IsAllowedFormat(info.FormatName, settings.AllowedContainerFormats))
        {
            throw Unsupported($"the source video's container ({info.FormatName}) is not accepted; send an mp4, mov, webm or mkv file");
        }
        if (!info.HasVideoStream)
        {
            throw Unsupported("the source file has no video stream");
        }
        CheckPicture(info, "source video", settings);
        if (info.FrameRate.Numerator <= 0 || info.FrameRate.Value > 1000)
        {
            throw Unsupported("the source video has no usable frame rate");
        }
        if (!(info.DurationSeconds > 0) && info.FrameCount <= 0)
        {
            throw Unsupported("the source video has no duration; it may be truncated");
        }
        if (info.DurationSeconds > settings.MaxSourceDurationSeconds)
        {
            throw Unsupported($"the source video lasts {info.DurationSeconds:0.#} s; at most {settings.MaxSourceDurationSeconds:0} s is accepted");
        }
        return info;
    }

    public async Task<MediaInfo> ProbeImageAsync(string path, string what, CancellationToken cancellationToken)
    {
        var settings = runner.Settings;
        var info = await ProbeAsync(path, what, cancellationToken);
        if (!info.HasVideoStream || !IsAllowedFormat(info.FormatName, settings.AllowedImageFormats))
        {
            throw Unsupported($"the {what} is not a PNG, JPEG, WebP, BMP, TIFF or GIF image");
        }
        CheckPicture(info, what, settings);
        return info;
    }

    /// <summary>The ffprobe argv for <paramref name="path"/> (public for tests).</summary>
    public static IReadOnlyList<string> BuildArguments(string path) =>
    [
        "-v", "error",
        // Uploaded files may be playlists naming URLs or other local files: only the file itself may be opened.
        "-protocol_whitelist", "file",
        "-show_format", "-show_streams",
        "-of", "json",
        FfmpegArguments.InputPath(path),
    ];

    internal static bool IsAllowedFormat(string formatName, IReadOnlyList<string> allowed) =>
        formatName.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(name => allowed.Contains(name, StringComparer.Ordinal));

    private async Task<MediaInfo> ProbeAsync(string path, string what, CancellationToken cancellationToken)
    {
        byte[] json;
        try
        {
            json = await runner.RunFfprobeAsync(BuildArguments(path), MaxProbeOutputBytes, cancellationToken);
        }
        catch (FfmpegException e)
        {
            throw Unsupported($"the {what} could not be read as media; it may be corrupt or in an unsupported format", e);
        }
        try
        {
            return FfprobeJsonParser.Parse(json);
        }
        catch (InvalidDataException e)
        {
            throw Unsupported($"the {what} could not be read as media", e);
        }
    }

    private static void CheckPicture(MediaInfo info, string what, MediaSettings settings)
    {
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw Unsupported($"the {what} has no picture size");
        }
        if (info.Width > settings.MaxSourceSide || info.Height > settings.MaxSourceSide || (long)info.Width * info.Height > settings.MaxSourcePixels)
        {
            throw Unsupported($"the {what} is {info.Width}x{info.Height}; at most {settings.MaxSourceSide} px a side and {settings.MaxSourcePixels} pixels are accepted");
        }
    }

    private static ReframeFailure Unsupported(string message, Exception? inner = null) =>
        new(TaskErrorNames.UnsupportedMedia, message, inner);
}
