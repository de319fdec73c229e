using Reframe.Core.Engines;
using Reframe.Media.Planning;

namespace Reframe.Media.Tests.Planning;

public sealed class BorderDetectorTests
{
    private static readonly MediaSettings Settings = new();
    private const int W = 160;
    private const int H = 90;

    /// <summary>A frame with textured content (varies by seed) inside <paramref name="content"/> and a flat colour around it.</summary>
    private static byte[] Frame(PixelRect content, int seed, (byte R, byte G, byte B) bar = default)
    {
        var frame = new byte[W * H * 3];
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                var i = (y * W + x) * 3;
                if (content.Contains(x, y))
                {
                    frame[i] = (byte)((x * 7 + y * 3 + seed * 40) % 256);
                    frame[i + 1] = (byte)((x * 3 + y * 11 + seed * 17) % 256);
                    frame[i + 2] = (byte)((x ^ y) * 5 % 256);
                }
                else
                {
                    (frame[i], frame[i + 1], frame[i + 2]) = bar;
                }
            }
        }
        return frame;
    }

    private static IReadOnlyList<byte[]> Frames(PixelRect content, (byte, byte, byte) bar = default) =>
        [Frame(content, 0, bar), Frame(content, 1, bar), Frame(content, 2, bar)];

    [Theory]
    [InlineData(0, 12, 160, 66)]  // letterbox
    [InlineData(20, 0, 120, 90)]  // pillarbox
    [InlineData(10, 6, 140, 78)]  // windowbox
    [InlineData(0, 0, 160, 90)]   // no bars
    [InlineData(0, 12, 160, 78)]  // a bar on one side only
    public void Detect_FindsBlackBars_OnEverySide(int x, int y, int w, int h)
    {
        var content = new PixelRect(x, y, w, h);

        Assert.Equal(content, BorderDetector.Detect(Frames(content), W, H, Settings));
    }

    [Fact]
    public void Detect_FindsFlatColouredBars_NotOnlyBlack()
    {
        var content = new PixelRect(0, 10, 160, 70);

        Assert.Equal(content, BorderDetector.Detect(Frames(content, (200, 30, 90)), W, H, Settings));
    }

    [Fact]
    public void Detect_IgnoresTrimsUnderTheMinimum()
    {
        var content = new PixelRect(0, 1, 160, 88);

        Assert.Equal(new PixelRect(0, 0, W, H), BorderDetector.Detect(Frames(content), W, H, Settings));
    }

    [Fact]
    public void Detect_KeepsAFlatEdge_WhenItChangesColourOverTime()
    {
        // The top 12 rows are flat in each frame but a different colour each time: a sky, not a bar.
        var content = new PixelRect(0, 12, 160, 78);
        var frames = new[] { Frame(content, 0, (10, 10, 10)), Frame(content, 1, (120, 120, 120)), Frame(content, 2, (240, 240, 240)) };

        Assert.Equal(new PixelRect(0, 0, W, H), BorderDetector.Detect(frames, W, H, Settings));
    }

    [Fact]
    public void Detect_LeavesAWhollyFlatClipAlone()
    {
        var frames = new[] { new byte[W * H * 3], new byte[W * H * 3] };

        Assert.Equal(new PixelRect(0, 0, W, H), BorderDetector.Detect(frames, W, H, Settings));
    }

    [Fact]
    public void Detect_ToleratesCodecNoiseInBars()
    {
        var content = new PixelRect(0, 12, 160, 66);
        var frames = Frames(content).Select(f =>
        {
            var noisy = (byte[])f.Clone();
            for (var i = 0; i < 12 * W * 3; i += 7)
            {
                noisy[i] = 6; // the kind of noise x264 leaves in black
            }
            return noisy;
        }).ToList();

        Assert.Equal(content, BorderDetector.Detect(frames, W, H, Settings));
    }

    [Fact]
    public void Detect_ReturnsTheWholeFrame_WhenThereAreNoSamples()
    {
        Assert.Equal(new PixelRect(0, 0, W, H), BorderDetector.Detect([], W, H, Settings));
    }
}
