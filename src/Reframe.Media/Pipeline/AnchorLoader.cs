using Reframe.Core.Engines;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Probing;

namespace Reframe.Media.Pipeline;

/// <summary>Loads a first/last frame image, validated, scaled to cover the canvas and centre-cropped (RGB24).</summary>
internal static class AnchorLoader
{
    public static async Task<byte[]?> LoadAsync(FfmpegRunner runner, MediaProber prober, string? path, string what, int width, int height, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return null;
        }
        await prober.ProbeImageAsync(path, what, cancellationToken);
        var frameBytes = width * height * 3;
        byte[] bytes;
        try
        {
            bytes = await runner.RunFfmpegAsync(FfmpegArguments.FitImage(path, width, height, runner.Settings.FfmpegThreads), frameBytes, cancellationToken);
        }
        catch (FfmpegException e)
        {
            throw new ReframeFailure(TaskErrorNames.UnsupportedMedia, $"the {what} could not be decoded", e);
        }
        if (bytes.Length != frameBytes)
        {
            throw new ReframeFailure(TaskErrorNames.UnsupportedMedia, $"the {what} could not be decoded");
        }
        return bytes;
    }
}
