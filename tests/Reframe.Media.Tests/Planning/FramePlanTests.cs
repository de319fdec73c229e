using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Media.Planning;
using Reframe.Media.Tests.Support;

namespace Reframe.Media.Tests.Planning;

public sealed class FramePlanTests
{
    private static readonly MediaSettings Settings = new();

    [Theory]
    // source frames, fps → generated (4k+1, snapped up), output frames, charged (used) frames
    [InlineData(81, 16, 81, 81, 81)]
    [InlineData(100, 25, 101, 100, 100)]
    [InlineData(1, 25, 1, 1, 1)]
    [InlineData(2, 25, 5, 2, 2)]
    [InlineData(241, 30, 241, 241, 241)]
    public void Plan_FollowsTheSourceLength_WhenMatchingInput(int frames, int fps, int generated, int output, int used)
    {
        var plan = FramePlanner.Plan(MediaSources.Clip(640, 360, frames, fps), MediaSources.Request(), Settings);

        Assert.Equal(generated, plan.GeneratedFrames);
        Assert.Equal(output, plan.OutputFrames);
        Assert.Equal(used, plan.GeneratedFramesUsed);
        Assert.Equal(new Rational(fps, 1), plan.OutputRate);
        Assert.False(plan.ResampleSource);
        Assert.Equal(1, plan.GeneratedFrames % 4);
    }

    [Theory]
    [InlineData(81, 81)]
    [InlineData(100, 97)]
    [InlineData(17, 17)]
    [InlineData(20, 17)]
    [InlineData(241, 241)]
    public void Plan_SnapsNumFramesDownTo4kPlus1_WhenNotMatchingInput(int requested, int expected)
    {
        var options = MediaSources.Request() with { MatchInputNumFrames = false, NumFrames = requested };

        var plan = FramePlanner.Plan(MediaSources.Clip(640, 360, 30, 25), options, Settings);

        Assert.Equal(expected, plan.GeneratedFrames);
        Assert.Equal(expected, plan.OutputFrames);
    }

    [Fact]
    public void Plan_ResamplesTheSource_WhenFramesPerSecondIsGiven()
    {
        // 90 frames at 30 fps = 3 s; at 16 fps that is 48 frames.
        var options = MediaSources.Request() with { MatchInputFramesPerSecond = false, FramesPerSecond = 16 };

        var plan = FramePlanner.Plan(MediaSources.Clip(640, 360, 90, 30), options, Settings);

        Assert.True(plan.ResampleSource);
        Assert.Equal(new Rational(16, 1), plan.SourceRate);
        Assert.Equal(48, plan.TargetFrames);
        Assert.Equal(49, plan.GeneratedFrames);
        Assert.Equal(48, plan.OutputFrames);
    }

    [Fact]
    public void Plan_KeepsFractionalRatesExact_WhenMatchingAn29_97Source()
    {
        var plan = FramePlanner.Plan(MediaSources.Clip(640, 360, 60, 30000, 1001), MediaSources.Request() with { NumInterpolatedFrames = 1 }, Settings);

        Assert.Equal(new Rational(30000, 1001), plan.SourceRate);
        Assert.Equal(new Rational(60000, 1001), plan.OutputRate);
        Assert.Equal("60000/1001", plan.OutputRate.ToString());
    }

    [Fact]
    public void Plan_ResamplesToTheAverageRate_WhenTheSourceHasAVariableFrameRate()
    {
        // 40 irregular frames over 1.9667 s, average 1200/59 fps.
        var vfr = MediaSources.Clip(320, 180, 40, 1200, 59, vfr: true, duration: 1.966667);

        var plan = FramePlanner.Plan(vfr, MediaSources.Request(), Settings);

        Assert.True(plan.ResampleSource);
        Assert.Equal(new Rational(1200, 59), plan.SourceRate);
        Assert.Equal(40, plan.TargetFrames);
    }

    [Fact]
    public void Plan_FailsWithTooManyFrames_NamingTheWaysOut_WhenTheSourceExceedsTheCeiling()
    {
        var failure = Assert.Throws<ReframeFailure>(() => FramePlanner.Plan(MediaSources.Clip(640, 360, 300, 30), MediaSources.Request(), Settings));

        Assert.Equal(TaskErrorNames.TooManyFrames, failure.Name);
        Assert.Contains("enable_auto_downsample", failure.Message, StringComparison.Ordinal);
        Assert.Contains("temporal_downsample_factor", failure.Message, StringComparison.Ordinal);
        Assert.Contains("match_input_num_frames", failure.Message, StringComparison.Ordinal);
        Assert.Contains("300 frames", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    // frames, fps, min fps → k, generated, output rate (unchanged), output frames (unchanged)
    [InlineData(300, 30, 15, 1, 153)]
    [InlineData(600, 60, 15, 2, 201)]
    [InlineData(600, 30, 5, 2, 201)]
    [InlineData(241, 30, 15, 0, 241)] // fits already: no downsampling
    public void Plan_PicksTheSmallestFittingFactor_WhenAutoDownsampleIsOn(int frames, int fps, double minFps, int k, int generated)
    {
        var options = MediaSources.Request() with { EnableAutoDownsample = true, AutoDownsampleMinFps = minFps };

        var plan = FramePlanner.Plan(MediaSources.Clip(640, 360, frames, fps), options, Settings);

        Assert.Equal(k, plan.DownsampleFactor);
        Assert.Equal(generated, plan.GeneratedFrames);
        Assert.Equal(frames, plan.OutputFrames);
        Assert.Equal(new Rational(fps, 1), plan.OutputRate);
        Assert.Equal(new Rational(fps, k + 1), plan.GenerationRate);
        Assert.Equal(k > 0, plan.NeedsInterpolation);
    }

    [Fact]
    public void Plan_FailsWithTooManyFrames_WhenAutoDownsampleWouldDropBelowTheFpsFloor()
    {
        var options = MediaSources.Request() with { EnableAutoDownsample = true, AutoDownsampleMinFps = 15 };

        var failure = Assert.Throws<ReframeFailure>(() => FramePlanner.Plan(MediaSources.Clip(640, 360, 600, 30), options, Settings));

        Assert.Equal(TaskErrorNames.TooManyFrames, failure.Name);
        Assert.Contains("auto_downsample_min_fps", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    // frames, k → generated frames, used frames
    [InlineData(100, 1, 53, 51)]
    [InlineData(100, 2, 37, 34)]
    [InlineData(81, 4, 17, 17)]
    [InlineData(300, 5, 53, 51)]
    public void Plan_GeneratesEveryKPlus1thFrame_AndRestoresTheLength_WhenDownsampleFactorIsSet(int frames, int k, int generated, int used)
    {
        var options = MediaSources.Request() with { TemporalDownsampleFactor = k };

        var plan = FramePlanner.Plan(MediaSources.Clip(640, 360, frames, 30), options, Settings);

        Assert.Equal(k, plan.DownsampleFactor);
        Assert.Equal(generated, plan.GeneratedFrames);
        Assert.Equal(used, plan.GeneratedFramesUsed);
        Assert.Equal(frames, plan.OutputFrames);
        Assert.Equal(new Rational(30, 1), plan.OutputRate);
        Assert.True((used - 1) * (k + 1) + 1 >= frames, "the used frames must cover the whole length");
    }

    [Theory]
    // frames, fps, n → output frames, output fps
    [InlineData(81, 16, 1, 161, 32)]
    [InlineData(81, 16, 2, 241, 48)]
    [InlineData(17, 16, 5, 97, 96)]
    [InlineData(1, 16, 3, 1, 64)]
    public void Plan_InsertsFramesAndMultipliesTheRate_WhenInterpolatedFramesAreRequested(int frames, int fps, int n, int outputFrames, int outputFps)
    {
        var options = MediaSources.Request() with { NumInterpolatedFrames = n };

        var plan = FramePlanner.Plan(MediaSources.Clip(640, 360, frames, fps), options, Settings);

        Assert.Equal(outputFrames, plan.OutputFrames);
        Assert.Equal(new Rational(outputFps, 1), plan.OutputRate);
        Assert.Equal(frames, plan.GeneratedFramesUsed);
    }

    [Fact]
    public void Plan_CombinesDownsampleAndInterpolation_IntoOneFactor()
    {
        var options = MediaSources.Request() with { TemporalDownsampleFactor = 1, NumInterpolatedFrames = 1 };

        var plan = FramePlanner.Plan(MediaSources.Clip(640, 360, 50, 25), options, Settings);

        Assert.Equal(4, plan.InterpolationFactor);
        Assert.Equal(99, plan.OutputFrames);
        Assert.Equal(new Rational(50, 1), plan.OutputRate);
        Assert.Equal(new Rational(25, 2), plan.GenerationRate);
    }

    [Fact]
    public void Plan_UsesTheConfiguredCeiling_WhenItIsTuned()
    {
        var settings = Settings with { MaxGeneratedFrames = 81 };

        var failure = Assert.Throws<ReframeFailure>(() => FramePlanner.Plan(MediaSources.Clip(640, 360, 100, 25), MediaSources.Request(), settings));

        Assert.Contains("at most 81 frames", failure.Message, StringComparison.Ordinal);
    }
}
