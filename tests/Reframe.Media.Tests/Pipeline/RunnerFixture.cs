using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Engines.Classic;
using Reframe.Media.Pipeline;
using Reframe.Media.Tests.Support;
using RecordingProgress = Reframe.TestSupport.RecordingProgress;

namespace Reframe.Media.Tests.Pipeline;

/// <summary>Runs real reframes (real ffmpeg, the classic engine) on generated clips.</summary>
public abstract class RunnerTestBase : IDisposable
{
    internal TestVideos Videos { get; } = new();

    internal static GenerationOptions Request(string aspect = "auto") => new()
    {
        VideoUrl = "file.mp4",
        AspectRatio = WireNames.AspectRatios[aspect],
        VideoWriteMode = VideoWriteMode.Fast, // small and quick; quality settings are tested as arguments
    };

    internal async Task<(ReframeOutcome Outcome, string Output)> RunAsync(string source, GenerationOptions options, string? firstFrame = null,
        string? lastFrame = null, MediaSettings? settings = null, IVideoEngine? engine = null, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var output = Videos.PathFor($"out-{Guid.NewGuid():N}.mp4");
        var runner = new ReframeRunner(engine ?? new ClassicEngine(), settings ?? new MediaSettings());
        var job = new ReframeJob(options, source, firstFrame, lastFrame, output, Videos.Directory, Seed: 42);
        var outcome = await runner.RunAsync(job, progress ?? new RecordingProgress(), cancellationToken);
        return (outcome, output);
    }

    /// <summary>The source scaled the way the plan scales it, decoded to RGB24 frames (the reference for the keep rectangle).</summary>
    internal static List<byte[]> ScaledReference(string source, string filter, int width, int height)
    {
        var raw = Support.Ffmpeg.RunTool("ffmpeg", ["-v", "error", "-i", source, "-vf", filter + ",format=rgb24", "-f", "rawvideo", "pipe:1"]);
        var size = width * height * 3;
        return Enumerable.Range(0, raw.Length / size).Select(i => raw.AsSpan(i * size, size).ToArray()).ToList();
    }

    /// <summary>Mean abs difference between the output's keep rectangle and the reference content placed at <paramref name="content"/>.</summary>
    internal static double KeepRectError(byte[] output, int canvasWidth, byte[] reference, PixelRect content, PixelRect keep)
    {
        long sum = 0;
        for (var y = keep.Y; y < keep.Bottom; y++)
        {
            for (var x = keep.X; x < keep.Right; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    sum += Math.Abs(output[(y * canvasWidth + x) * 3 + c] - reference[((y - content.Y) * content.Width + (x - content.X)) * 3 + c]);
                }
            }
        }
        return (double)sum / (keep.Width * keep.Height * 3);
    }

    public void Dispose()
    {
        Videos.Dispose();
        GC.SuppressFinalize(this);
    }
}
