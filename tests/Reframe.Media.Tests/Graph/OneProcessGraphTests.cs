using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Engines.Classic;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Graph;
using Reframe.Media.Pipeline;
using Reframe.Media.Planning;
using Reframe.Media.Probing;
using Reframe.Media.Tests.Support;
using RecordingProgress = Reframe.TestSupport.RecordingProgress;

namespace Reframe.Media.Tests.Graph;

/// <summary>
/// The one-process graph run by real ffmpeg, before any lossy encode: the kept rectangle must be the placed source
/// itself, bit for bit, and the filled area must look like the streamed classic fill.
/// </summary>
public sealed class OneProcessGraphTests : IDisposable
{
    private readonly TestVideos _videos = new();

    [Theory]
    [InlineData("9:16", 320, 180)] // content at an odd y (281): the paste must not move by a chroma row
    [InlineData("16:9", 180, 320)] // pillarbox: content at an odd x
    public async Task Graph_KeepsTheSourceBitExactInTheKeepRect_WhenTheClassicFillRuns(string aspect, int width, int height)
    {
        var source = _videos.Pattern($"src-{width}x{height}.mp4", width, height, frames: 9);
        var plan = await PlanAsync(source, aspect);
        var fill = new ClassicEngine().DescribeFill(JobFor(plan))!;
        var (w, h, content, keep) = (plan.CanvasWidth, plan.CanvasHeight, plan.ContentRect, plan.KeepRect);
        Assert.False(keep.IsEmpty);

        // The graph's output in 4:2:0 (what the encoder gets) and the placed content in 4:4:4, as raw frames.
        var canvas = Support.Ffmpeg.RunTool("ffmpeg", ["-v", "error", "-i", source, "-filter_complex", OneProcessArguments.Graph(plan, fill, pasteKeep: false, null),
            "-map", "[out]", "-frames:v", "9", "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"]);
        var placed = Support.Ffmpeg.RunTool("ffmpeg", ["-v", "error", "-i", source, "-filter_complex", $"[0:v]{OneProcessArguments.ContentChain(plan)}[c]",
            "-map", "[c]", "-frames:v", "9", "-f", "rawvideo", "-pix_fmt", "yuv444p", "pipe:1"]);

        var canvasFrame = w * h * 3 / 2;
        var contentFrame = content.Width * content.Height * 3;
        Assert.Equal(9, canvas.Length / canvasFrame);
        Assert.Equal(9, placed.Length / contentFrame);
        for (var f = 0; f < 9; f++)
        {
            // Luma is never resampled after the paste: every kept pixel is the source's own.
            var luma = canvas.AsSpan(f * canvasFrame, w * h);
            var sourceLuma = placed.AsSpan(f * contentFrame, content.Width * content.Height);
            for (var y = keep.Y; y < keep.Bottom; y++)
            {
                for (var x = keep.X; x < keep.Right; x++)
                {
                    var expected = sourceLuma[(y - content.Y) * content.Width + (x - content.X)];
                    Assert.True(luma[y * w + x] == expected, $"frame {f}, pixel ({x}, {y}): {luma[y * w + x]} != {expected}");
                }
            }
        }
    }

    [Fact]
    public async Task Graph_FillsLikeTheStreamedEngine_WhenTheSourceMoves()
    {
        var source = _videos.Pattern("moving.mp4", 320, 180, frames: 17);
        var plan = await PlanAsync(source, "9:16");
        var fill = new ClassicEngine().DescribeFill(JobFor(plan))!;
        var (w, h) = (plan.CanvasWidth, plan.CanvasHeight);

        var graph = Support.Ffmpeg.RunTool("ffmpeg", ["-v", "error", "-i", source, "-filter_complex", OneProcessArguments.Graph(plan, fill, pasteKeep: false, null),
            "-map", "[out]", "-frames:v", "17", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        var streamed = await StreamedAsync(source, plan);

        // The area above the content: a blurred, dimmed cover of the moving pattern in both.
        var above = new PixelRect(0, 0, w, plan.ContentRect.Y);
        var frame = w * h * 3;
        for (var f = 0; f < 17; f++)
        {
            var difference = DecodedVideo.MeanAbsDiff(graph.AsSpan(f * frame, frame).ToArray(), streamed[f], w, above);
            Assert.True(difference < 12, $"frame {f}: the graph's fill differs from the streamed fill by {difference:0.0} levels on average");
            Assert.True(DecodedVideo.BlackFraction(graph.AsSpan(f * frame, frame).ToArray(), w, above) < 0.02, $"frame {f}: black left above");
        }
    }

    /// <summary>The streamed classic engine on the same placed content (decoded to rgb24 by the streaming path's own decoder).</summary>
    private async Task<List<byte[]>> StreamedAsync(string source, ReframePlan plan)
    {
        var output = _videos.PathFor("streamed.mp4");
        var runner = new ReframeRunner(new StreamOnly(new ClassicEngine()), new MediaSettings());
        var options = Options(plan.CanvasWidth > plan.CanvasHeight ? "16:9" : "9:16") with { VideoQuality = VideoQuality.Maximum };
        await runner.RunAsync(new ReframeJob(options, source, null, null, output, _videos.Directory, 1), new RecordingProgress(), CancellationToken.None);
        var raw = Support.Ffmpeg.RunTool("ffmpeg", ["-v", "error", "-i", output, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        var size = plan.CanvasWidth * plan.CanvasHeight * 3;
        return Enumerable.Range(0, raw.Length / size).Select(i => raw.AsSpan(i * size, size).ToArray()).ToList();
    }

    private static async Task<ReframePlan> PlanAsync(string source, string aspect)
    {
        var settings = new MediaSettings();
        var info = await new MediaProber(new FfmpegRunner(settings)).ProbeVideoAsync(source, CancellationToken.None);
        return ReframePlanner.Plan(info, Options(aspect), null, settings);
    }

    private static GenerationOptions Options(string aspect) => new()
    {
        VideoUrl = "file.mp4",
        AspectRatio = WireNames.AspectRatios[aspect],
        Resolution = WireNames.Resolutions["480p"],
        TrimBorders = false,
    };

    private static FillGraphJob JobFor(ReframePlan plan) => new(plan.CanvasWidth, plan.CanvasHeight, plan.ContentRect, plan.KeepRect,
        plan.Frames.GenerationRate, plan.Frames.GeneratedFramesUsed, HasAnchors: false, Options("9:16"));

    /// <summary>The classic engine without its graph: the runner streams frames through it.</summary>
    private sealed class StreamOnly(IVideoEngine inner) : IVideoEngine
    {
        public string Name => inner.Name;

        public bool PastesBackSource => inner.PastesBackSource;

        public Task<EngineReport> GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken) =>
            inner.GenerateAsync(job, output, progress, cancellationToken);
    }

    public void Dispose() => _videos.Dispose();
}
