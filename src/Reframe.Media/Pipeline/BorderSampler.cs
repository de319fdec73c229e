using Reframe.Core.Engines;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Planning;
using Reframe.Media.Probing;

namespace Reframe.Media.Pipeline;

/// <summary>Grabs a few frames spread over the used part of the source (never decoding more than that) and detects its bars.</summary>
internal static class BorderSampler
{
    /// <param name="usedSeconds">How much of the clip, from its start, the output uses: bars are looked for there.</param>
    public static async Task<PixelRect> DetectAsync(FfmpegRunner runner, string sourcePath, MediaInfo info, double usedSeconds, CancellationToken cancellationToken)
    {
        var settings = runner.Settings;
        var frameBytes = checked(info.Width * info.Height * 3);
        var count = Math.Max(1, settings.BorderSampleFrames);
        var duration = info.DurationSeconds > 0 ? info.DurationSeconds : info.FrameCount / info.FrameRate.Value;
        var span = Math.Min(duration, usedSeconds);
        var usedFrames = Math.Max(1, Math.Min(info.FrameCount, (int)Math.Ceiling(span * info.FrameRate.Value)));
        List<byte[]> samples;
        if (usedFrames <= settings.BorderSequentialMaxFrames)
        {
            samples = await GrabAsync(runner, FfmpegArguments.GrabFramesSequential(sourcePath, span, count, settings.FfmpegThreads), frameBytes, count, cancellationToken);
        }
        else
        {
            var times = Enumerable.Range(0, count).Select(i => span * (i + 0.5) / count).ToList();
            samples = await GrabAsync(runner, FfmpegArguments.GrabFrames(sourcePath, times, settings.FfmpegThreads), frameBytes, times.Count, cancellationToken);
        }
        if (samples.Count == 0)
        {
            samples = await GrabAsync(runner, FfmpegArguments.GrabFrames(sourcePath, [0], settings.FfmpegThreads), frameBytes, 1, cancellationToken);
        }
        return BorderDetector.Detect(samples, info.Width, info.Height, settings);
    }

    private static async Task<List<byte[]>> GrabAsync(FfmpegRunner runner, IReadOnlyList<string> arguments, int frameBytes, int count, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await runner.RunFfmpegAsync(arguments, frameBytes * count, cancellationToken);
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
