using Reframe.Core.Engines;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Probing;

namespace Reframe.Media.Sampling;

/// <summary>
/// Frames spread over a file, at a fixed size, as rgb24 (for a classifier). Files are probed first, so the input
/// limits apply and a file ffmpeg cannot read is an <c>unsupported_media</c> failure, as in the pipeline.
/// </summary>
public sealed class FrameSampler(MediaSettings settings)
{
    private readonly FfmpegRunner _ffmpeg = new(settings);

    /// <summary>Up to <paramref name="count"/> frames evenly spread over the video (the middle of each of count equal spans).</summary>
    public async Task<IReadOnlyList<byte[]>> SampleVideoAsync(string path, int count, int width, int height, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var info = await new MediaProber(_ffmpeg).ProbeVideoAsync(path, cancellationToken);
        var duration = info.DurationSeconds > 0 ? info.DurationSeconds : info.FrameCount / info.FrameRate.Value;
        var samples = info.FrameCount > 0 ? Math.Min(count, info.FrameCount) : count;
        // Aim at a frame's own timestamp (a hair before it): a seek lands on the first frame at or after the time asked,
        // so a time inside the last frame's display span but after its timestamp would find no frame at all.
        var times = info.FrameCount > 0
            ? Enumerable.Range(0, samples).Select(i => Math.Max(0, (int)((i + 0.5) * info.FrameCount / samples) / info.FrameRate.Value - 0.001)).ToList()
            : Enumerable.Range(0, samples).Select(i => duration * (i + 0.5) / samples).ToList();
        var frames = await GrabAsync(SampleArguments.VideoFrames(path, times, width, height, settings.FfmpegThreads), width, height, samples, cancellationToken);
        if (frames.Count == 0)
        {
            // A duration longer than the stream (seeks past the end give nothing): the first frame still says something.
            frames = await GrabAsync(SampleArguments.VideoFrames(path, [0], width, height, settings.FfmpegThreads), width, height, 1, cancellationToken);
        }
        return frames.Count > 0 ? frames : throw new ReframeFailure(TaskErrorNames.UnsupportedMedia, "no frame of the video could be decoded");
    }

    /// <summary>An image (first/last frame anchor) at the size.</summary>
    public async Task<byte[]> SampleImageAsync(string path, string what, int width, int height, CancellationToken cancellationToken)
    {
        await new MediaProber(_ffmpeg).ProbeImageAsync(path, what, cancellationToken);
        var frames = await GrabAsync(SampleArguments.Image(path, width, height, settings.FfmpegThreads), width, height, 1, cancellationToken);
        return frames.Count == 1 ? frames[0] : throw new ReframeFailure(TaskErrorNames.UnsupportedMedia, $"the {what} could not be decoded");
    }

    private async Task<List<byte[]>> GrabAsync(IReadOnlyList<string> arguments, int width, int height, int count, CancellationToken cancellationToken)
    {
        var frameBytes = checked(width * height * 3);
        byte[] bytes;
        try
        {
            bytes = await _ffmpeg.RunFfmpegAsync(arguments, frameBytes * count, cancellationToken);
        }
        catch (FfmpegException e)
        {
            throw new ReframeFailure(TaskErrorNames.UnsupportedMedia, "the file could not be decoded", e);
        }
        var frames = new List<byte[]>(count);
        for (var offset = 0; offset + frameBytes <= bytes.Length; offset += frameBytes)
        {
            frames.Add(bytes.AsSpan(offset, frameBytes).ToArray());
        }
        return frames;
    }
}
