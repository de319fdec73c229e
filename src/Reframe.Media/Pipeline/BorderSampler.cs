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
        var count = Math.Max(1, settings.BorderSampleFrames);
        var duration = info.DurationSeconds > 0 ? info.DurationSeconds : info.FrameCount / info.FrameRate.Value;
        var times = Enumerable.Range(0, count).Select(i => duration * (i + 0.5) / count).ToList();
        var samples = await GrabAsync(runner, sourcePath, times, frameBytes, cancellationToken);
        if (samples.Count == 0)
        {
            samples = await GrabAsync(runner, sourcePath, [0], frameBytes, cancellationToken);
        }
        return BorderDetector.Detect(samples, info.Width, info.Height, settings);
    }

    private static async Task<List<byte[]>> GrabAsync(FfmpegRunner runner, string sourcePath, IReadOnlyList<double> times, int frameBytes, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await runner.RunFfmpegAsync(FfmpegArguments.GrabFrames(sourcePath, times, runner.Settings.FfmpegThreads), frameBytes * times.Count, cancellationToken);
        }
        catch (FfmpegException)
        {
            // Samples that cannot be decoded say nothing about bars; the decode proper reports real damage.
            return [];
        }
        var frames = new List<byte[]>();
        for (var offset = 0; offset + frameBytes <= bytes.Length; offset += frameBytes)
        {
            frames.Add(bytes.AsSpan(offset, frameBytes).ToArray());
        }
        return frames;
    }
}
