using Reframe.Core.Engines;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Planning;
using Reframe.Media.Probing;

namespace Reframe.Media.Pipeline;

/// <summary>Grabs a few frames spread over the source (seeking, not decoding it all) and detects its bars.</summary>
internal static class BorderSampler
{
    public static async Task<PixelRect> DetectAsync(FfmpegRunner runner, string sourcePath, MediaInfo info, CancellationToken cancellationToken)
    {
        var settings = runner.Settings;
        var frameBytes = checked(info.Width * info.Height * 3);
        var samples = new List<byte[]>();
        var count = Math.Max(1, settings.BorderSampleFrames);
        var duration = info.DurationSeconds > 0 ? info.DurationSeconds : info.FrameCount / info.FrameRate.Value;
        for (var i = 0; i < count; i++)
        {
            var seconds = duration * (i + 0.5) / count;
            if (await GrabAsync(runner, sourcePath, seconds, frameBytes, cancellationToken) is { } frame)
            {
                samples.Add(frame);
            }
        }
        if (samples.Count == 0 && await GrabAsync(runner, sourcePath, 0, frameBytes, cancellationToken) is { } first)
        {
            samples.Add(first);
        }
        return BorderDetector.Detect(samples, info.Width, info.Height, settings);
    }

    private static async Task<byte[]?> GrabAsync(FfmpegRunner runner, string sourcePath, double seconds, int frameBytes, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await runner.RunFfmpegAsync(FfmpegArguments.GrabFrame(sourcePath, seconds, runner.Settings.FfmpegThreads), frameBytes, cancellationToken);
            return bytes.Length == frameBytes ? bytes : null;
        }
        catch (FfmpegException)
        {
            // A sample that cannot be decoded says nothing about bars; the decode proper reports real damage.
            return null;
        }
    }
}
