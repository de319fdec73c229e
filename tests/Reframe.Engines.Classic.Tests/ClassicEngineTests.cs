using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.TestSupport;

namespace Reframe.Engines.Classic.Tests;

/// <summary>The classic fill on a 64x36 canvas holding a 32x36 pillarboxed source, frames in memory.</summary>
public sealed class ClassicEngineTests
{
    private const int Width = 64;
    private const int Height = 36;
    private static readonly PixelRect Content = new(16, 0, 32, 36);

    [Fact]
    public async Task GenerateAsync_LeavesTheKeepRectUntouched_AndFillsTheRest()
    {
        var input = Frames(3, (200, 100, 50));

        var output = await RunAsync(input, Content);

        for (var f = 0; f < input.Count; f++)
        {
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++)
                {
                    var inside = x >= Content.X && x < Content.Right;
                    var same = Pixel(output[f], x, y) == Pixel(input[f], x, y);
                    Assert.True(inside == same, $"frame {f} pixel ({x},{y}) inside={inside} same={same}");
                }
            }
        }
    }

    [Fact]
    public async Task GenerateAsync_FillsWithTheDimmedContentColour_WhenTheContentIsFlat()
    {
        var settings = new ClassicEngineSettings();

        var output = await RunAsync(Frames(2, (200, 100, 50)), Content, settings);

        foreach (var (x, y) in new[] { (0, 0), (5, 20), (Width - 1, Height - 1) })
        {
            var (r, g, b) = Pixel(output[^1], x, y);
            Assert.InRange(r, 200 * settings.FillBrightness - 2, 200 * settings.FillBrightness + 2);
            Assert.InRange(g, 100 * settings.FillBrightness - 2, 100 * settings.FillBrightness + 2);
            Assert.InRange(b, 50 * settings.FillBrightness - 2, 50 * settings.FillBrightness + 2);
        }
    }

    [Fact]
    public async Task GenerateAsync_IsDeterministic_AndDoesNotFlicker_WhenTheSourceIsStatic()
    {
        var input = Frames(4, (30, 160, 220), pattern: true);

        var first = await RunAsync(input, Content);
        var second = await RunAsync(input, Content);

        Assert.Equal(first, second);
        Assert.Equal(first[1], first[3]);
    }

    [Fact]
    public async Task GenerateAsync_CopiesFramesThrough_WhenNothingIsGenerated()
    {
        var input = Frames(2, (10, 20, 30), pattern: true);

        var output = await RunAsync(input, new PixelRect(0, 0, Width, Height));

        Assert.Equal(input, output);
    }

    [Fact]
    public async Task GenerateAsync_Fails_WhenTheCanvasStreamEndsEarly()
    {
        var engine = new ClassicEngine();
        var job = Job(Frames(2, (1, 2, 3)), Content) with { FrameCount = 3 };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            engine.GenerateAsync(job, new MemoryFrameWriter(Width, Height), new RecordingProgress(), CancellationToken.None));

        Assert.Contains("after 2 of 3 frames", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_ReportsProgressUpToTheLastFrame_AndNamesItself()
    {
        var engine = new ClassicEngine();
        var progress = new RecordingProgress();

        var report = await engine.GenerateAsync(Job(Frames(5, (1, 2, 3)), Content), new MemoryFrameWriter(Width, Height), progress, CancellationToken.None);

        Assert.Equal(ClassicEngine.EngineName, report.Engine);
        Assert.Equal(5, progress.Reports.Last().Step);
        Assert.Equal(95, progress.Reports.Last().Percent, 6);
        Assert.All(progress.Reports, p => Assert.Equal("generating", p.Stage));
    }

    private static async Task<List<byte[]>> RunAsync(IReadOnlyList<byte[]> input, PixelRect keep, ClassicEngineSettings? settings = null)
    {
        var writer = new MemoryFrameWriter(Width, Height);
        await new ClassicEngine(settings ?? new ClassicEngineSettings()).GenerateAsync(Job(input, keep), writer, new RecordingProgress(), CancellationToken.None);
        Assert.Equal(input.Count, writer.Frames.Count);
        return writer.Frames;
    }

    private static EngineJob Job(IReadOnlyList<byte[]> frames, PixelRect keep) =>
        new(Width, Height, frames.Count, 16, Content, keep, new MemoryFrameReader(Width, Height, frames), null, null,
            new GenerationOptions { VideoUrl = "data:," }, Seed: 1);

    /// <summary>Black canvas, the content area in one colour (or a fixed pattern around it).</summary>
    private static List<byte[]> Frames(int count, (byte R, byte G, byte B) colour, bool pattern = false)
    {
        var frame = new byte[Width * Height * 3];
        for (var y = Content.Y; y < Content.Bottom; y++)
        {
            for (var x = Content.X; x < Content.Right; x++)
            {
                var o = (y * Width + x) * 3;
                var shade = pattern ? (byte)(x * 7 + y * 3) : (byte)0;
                frame[o] = (byte)(colour.R ^ shade);
                frame[o + 1] = colour.G;
                frame[o + 2] = (byte)(colour.B ^ shade);
            }
        }
        return Enumerable.Range(0, count).Select(_ => (byte[])frame.Clone()).ToList();
    }

    private static (int R, int G, int B) Pixel(byte[] frame, int x, int y)
    {
        var o = (y * Width + x) * 3;
        return (frame[o], frame[o + 1], frame[o + 2]);
    }
}
