using System.Globalization;
using Reframe.Core.Engines;

namespace Reframe.Media.Graph;

/// <summary>
/// Follows ffmpeg's <c>-progress</c> output (<c>key=value</c> lines, a block every stats period) and reports the frames
/// written as the <c>generating</c> stage, the way a streaming engine reports its frames.
/// </summary>
internal static class FfmpegProgressReader
{
    /// <summary>Reads to the end of <paramref name="stdout"/>; returns the last frame count ffmpeg reported.</summary>
    public static async Task<int> FollowAsync(Stream stdout, int totalFrames, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stdout, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var frames = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("frame=", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan(6), NumberStyles.Integer, CultureInfo.InvariantCulture, out var written)
                && written > frames)
            {
                frames = written;
                var done = Math.Min(frames, totalFrames);
                progress.Report(new TaskProgress("generating", done, totalFrames, 5 + 90.0 * done / Math.Max(1, totalFrames)));
            }
        }
        return frames;
    }
}
