using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Media.Tests.Support;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Pipeline;

/// <summary>End to end on real clips: probe, plan, decode, classic fill, paste-back, encode.</summary>
public sealed class ReframeRunnerTests : RunnerTestBase
{
    [Fact]
    public async Task Run_WritesTheCanvasFramesAndRate_AndKeepsTheSourceExactly_When16x9GoesTo9x16()
    {
        var source = Videos.Pattern("wide.mp4", 320, 180, frames: 12, fps: 25);

        var (outcome, output) = await RunAsync(source, Request("9:16"));

        var video = DecodedVideo.Load(output);
        Assert.Equal((480, 832, 12, "25/1"), (video.Width, video.Height, video.FrameCount, video.FrameRate));
        Assert.Equal(("h264", "yuv420p"), (video.CodecName, video.PixelFormat));
        Assert.Equal((480, 832, 12, 25.0, "classic", "480p"), (outcome.Width, outcome.Height, outcome.NumFrames, outcome.FramesPerSecond, outcome.Engine, outcome.ChargedResolutionTier));
        Assert.Null(outcome.Interpolator);

        // Content 480x270 at y=281; keep rect inset 8 px at top and bottom.
        var content = new PixelRect(0, 281, 480, 270);
        var keep = new PixelRect(0, 289, 480, 254);
        var reference = ScaledReference(source, "scale=480:270:flags=bicubic", 480, 270);
        for (var i = 0; i < video.FrameCount; i++)
        {
            Assert.True(KeepRectError(video.Frames[i], 480, reference[i], content, keep) < 4, $"frame {i}: the kept rectangle drifted from the source");
            Assert.True(DecodedVideo.BlackFraction(video.Frames[i], 480, new PixelRect(0, 0, 480, 281)) < 0.02, $"frame {i}: black left above");
            Assert.True(DecodedVideo.BlackFraction(video.Frames[i], 480, new PixelRect(0, 551, 480, 281)) < 0.02, $"frame {i}: black left below");
        }
    }

    [Fact]
    public async Task Run_FillsWhereTheBarsWere_WhenALetterboxedSourceIsTrimmed()
    {
        // 320x180 frame, 320x136 picture, black bars of 22 px.
        var source = Videos.Boxed("letterbox.mp4", 320, 180, 320, 136, frames: 8);

        var (trimmedOutcome, trimmed) = await RunAsync(source, Request());
        var (_, untrimmed) = await RunAsync(source, Request() with { TrimBorders = false });

        Assert.Equal((832, 480), (trimmedOutcome.Width, trimmedOutcome.Height));
        var top = new PixelRect(0, 0, 832, 40);
        var bottom = new PixelRect(0, 440, 832, 40);
        foreach (var frame in DecodedVideo.Load(trimmed).Frames)
        {
            Assert.True(DecodedVideo.BlackFraction(frame, 832, top) < 0.02);
            Assert.True(DecodedVideo.BlackFraction(frame, 832, bottom) < 0.02);
        }
        // Without trimming, the bars are content and stay.
        Assert.True(DecodedVideo.BlackFraction(DecodedVideo.Load(untrimmed).Frames[0], 832, new PixelRect(0, 0, 832, 40)) > 0.9);
    }

    [Fact]
    public async Task Run_FillsWhereTheBarsWere_WhenAPillarboxedSourceIsTrimmed()
    {
        var source = Videos.Boxed("pillarbox.mp4", 320, 180, 200, 180, frames: 6);

        var (outcome, output) = await RunAsync(source, Request("16:9"));

        Assert.Equal((832, 480), (outcome.Width, outcome.Height));
        var frame = DecodedVideo.Load(output).Frames[^1];
        Assert.True(DecodedVideo.BlackFraction(frame, 832, new PixelRect(0, 0, 200, 480)) < 0.02);
        Assert.True(DecodedVideo.BlackFraction(frame, 832, new PixelRect(632, 0, 200, 480)) < 0.02);
    }

    [Fact]
    public async Task Run_HandlesAnOddSizedMatroskaSource()
    {
        var source = Videos.OddSized("odd.mkv", 321, 181, frames: 7);

        var (outcome, output) = await RunAsync(source, Request("1:1"));

        var video = DecodedVideo.Load(output, decodeFrames: false);
        Assert.Equal((624, 624, 7), (video.Width, video.Height, video.FrameCount));
        Assert.Equal(7, outcome.NumFrames);
    }

    [Fact]
    public async Task Run_WritesOneFrame_WhenTheSourceHasOne()
    {
        var source = Videos.Pattern("single.mp4", 160, 90, frames: 1);

        var (outcome, output) = await RunAsync(source, Request("9:16"));

        Assert.Equal(1, DecodedVideo.Load(output, decodeFrames: false).FrameCount);
        Assert.Equal((1, 1), (outcome.NumFrames, outcome.GeneratedFrames));
    }

    [Fact]
    public async Task Run_ShowsThePortraitPicture_WhenAPhoneClipCarriesRotation()
    {
        var source = Videos.Rotated("phone.mp4", 320, 176, frames: 5);

        var (outcome, output) = await RunAsync(source, Request());

        // Displayed 176x320 (portrait): auto keeps that shape.
        Assert.True(outcome.Height > outcome.Width);
        var video = DecodedVideo.Load(output, decodeFrames: false);
        Assert.Equal((outcome.Width, outcome.Height, 5), (video.Width, video.Height, video.FrameCount));
    }

    [Fact]
    public async Task Run_WritesExactlyThePlannedFramesAtTheAverageRate_WhenTheSourceHasAVariableFrameRate()
    {
        var source = Videos.VariableRate("vfr.mp4", 160, 96, sourceFrames: 30);

        var (outcome, output) = await RunAsync(source, Request("16:9"));

        var video = DecodedVideo.Load(output, decodeFrames: false);
        Assert.Equal(outcome.NumFrames, video.FrameCount);
        Assert.InRange(outcome.FramesPerSecond, 19.0, 21.0); // 30 fps with every third frame dropped
        Assert.InRange(outcome.NumFrames, 28, 32);
    }

    [Fact]
    public async Task Run_InterpolatesBackToLengthAndRate_WhenDownsamplingAndInsertingFrames()
    {
        // Few frames: minterpolate's motion search at 480p is slow on two cores.
        var source = Videos.Pattern("interp.mp4", 160, 90, frames: 8, fps: 25);

        var (outcome, output) = await RunAsync(source, Request("16:9") with { TemporalDownsampleFactor = 1, NumInterpolatedFrames = 1 });

        var video = DecodedVideo.Load(output, decodeFrames: false);
        // 8 frames, every 2nd generated (4 used of 5), then (8 - 1) x 2 + 1 = 15 frames at 50 fps.
        Assert.Equal((15, "50/1"), (video.FrameCount, video.FrameRate));
        Assert.Equal((15, 50.0, 5), (outcome.NumFrames, outcome.FramesPerSecond, outcome.GeneratedFrames));
        Assert.Equal("minterpolate_mci", outcome.Interpolator);
    }

    [Fact]
    public async Task Run_ResamplesALongSource_WhenNotMatchingItsRate()
    {
        // 300 frames at 30 fps (10 s) → 5 fps: 50 frames.
        var source = Videos.Pattern("long.mp4", 64, 36, frames: 300, fps: 30);

        var (outcome, output) = await RunAsync(source, Request("16:9") with { MatchInputFramesPerSecond = false, FramesPerSecond = 5 });

        var video = DecodedVideo.Load(output, decodeFrames: false);
        Assert.Equal((50, "5/1"), (video.FrameCount, video.FrameRate));
        Assert.Equal(50, outcome.NumFrames);
    }

    [Fact]
    public async Task Run_FailsWithTooManyFrames_WhenA300FrameSourceMatchesItsLength()
    {
        var source = Videos.Pattern("toolong.mp4", 64, 36, frames: 300, fps: 30);

        var failure = await Assert.ThrowsAsync<ReframeFailure>(() => RunAsync(source, Request("16:9")));

        Assert.Equal(TaskErrorNames.TooManyFrames, failure.Name);
    }

    [Fact]
    public async Task Run_TakesTheStartOfTheClip_WhenNumFramesIsGiven()
    {
        var source = Videos.Pattern("start.mp4", 160, 90, frames: 40);

        var (outcome, output) = await RunAsync(source, Request("1:1") with { MatchInputNumFrames = false, NumFrames = 20 });

        Assert.Equal(17, DecodedVideo.Load(output, decodeFrames: false).FrameCount);
        Assert.Equal(17, outcome.GeneratedFrames);
    }

    [Fact]
    public async Task Run_DoesNotFlickerInTheFilledArea_WhenTheSourceIsStatic()
    {
        var source = Videos.Static("static.mp4", 320, 180, frames: 16);

        var (_, output) = await RunAsync(source, Request("9:16"));

        var frames = DecodedVideo.Load(output).Frames;
        var filled = new PixelRect(0, 0, 480, 281);
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.True(DecodedVideo.MeanAbsDiff(frames[i - 1], frames[i], 480, filled) < 1.0, $"frames {i - 1} and {i} differ in the filled area");
        }
    }

    [Fact]
    public async Task Run_ShowsTheFirstFrameImageInTheNewArea_WhenAnAnchorIsGiven()
    {
        var source = Videos.Pattern("anchored.mp4", 320, 180, frames: 20);
        var red = Videos.Image("red.png", 300, 500, "red");

        var (_, output) = await RunAsync(source, Request("9:16"), firstFrame: red);

        var frames = DecodedVideo.Load(output).Frames;
        var (r0, g0) = MeanRedGreen(frames[0], 480, new PixelRect(0, 0, 480, 200));
        Assert.True(r0 > 200 && g0 < 60, $"frame 0 should show the red anchor; got R={r0:0} G={g0:0}");
        var (r19, g19) = MeanRedGreen(frames[19], 480, new PixelRect(0, 0, 480, 200));
        Assert.False(r19 > 200 && g19 < 60, "the anchor should have faded by the last frame");
    }

    [Fact]
    public async Task Run_PastesTheSourceBack_WhenTheEngineReadsTheWholeClipFirst()
    {
        var source = Videos.Pattern("readall.mp4", 320, 180, frames: 10);
        var settings = new MediaSettings { PasteBackWindowFrames = 2 };

        var (outcome, output) = await RunAsync(source, Request("9:16"), settings: settings, engine: new ReadAllThenWriteEngine());

        Assert.Equal("read-all", outcome.Engine);
        var video = DecodedVideo.Load(output);
        var reference = ScaledReference(source, "scale=480:270:flags=bicubic", 480, 270);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(KeepRectError(video.Frames[i], 480, reference[i], new PixelRect(0, 281, 480, 270), new PixelRect(0, 289, 480, 254)) < 4, $"frame {i}");
        }
    }

    [Fact]
    public async Task Run_FailsAndLeavesNoFile_WhenTheEngineWritesTooFewFrames()
    {
        var source = Videos.Pattern("short.mp4", 160, 90, frames: 5);
        var output = Videos.PathFor("short-out.mp4");

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(source, Request("1:1"), engine: new ShortEngine()));

        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(Videos.Directory, "out-*.mp4"));
    }

    [Fact]
    public async Task Run_StopsAndLeavesNoFile_WhenCancelledWhileGenerating()
    {
        var source = Videos.Pattern("cancel.mp4", 160, 90, frames: 120);
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(p =>
        {
            if (p.Stage == "generating")
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(source, Request("9:16"), progress: progress, cancellationToken: cts.Token));

        Assert.Empty(Directory.GetFiles(Videos.Directory, "out-*.mp4"));
        Assert.Contains(progress.Reports, p => p.Stage == "probing");
    }

    [Fact]
    public async Task Run_ReportsStagesInOrder()
    {
        var source = Videos.Pattern("stages.mp4", 160, 90, frames: 5);
        var progress = new RecordingProgress();

        await RunAsync(source, Request("1:1"), progress: progress);

        var stages = progress.Reports.Select(p => p.Stage).Distinct().ToList();
        Assert.Equal(["probing", "planning", "generating", "encoding"], stages);
        Assert.Equal(100, progress.Reports.Last().Percent);
    }

    private static (double R, double G) MeanRedGreen(byte[] frame, int width, PixelRect rect)
    {
        double r = 0, g = 0;
        for (var y = rect.Y; y < rect.Bottom; y++)
        {
            for (var x = rect.X; x < rect.Right; x++)
            {
                r += frame[(y * width + x) * 3];
                g += frame[(y * width + x) * 3 + 1];
            }
        }
        var n = rect.Width * rect.Height;
        return (r / n, g / n);
    }
}
