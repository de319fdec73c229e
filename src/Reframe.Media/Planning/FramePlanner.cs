using System.Globalization;
using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Media.Probing;

namespace Reframe.Media.Planning;

/// <summary>
/// Frame selection (API.md, Request body): length and rate from the source or the request, 4k+1 snapping,
/// <c>temporal_downsample_factor</c>, <c>enable_auto_downsample</c>, the frame ceiling with its named error,
/// and the interpolation that restores length and applies <c>num_interpolated_frames</c>.
/// </summary>
public static class FramePlanner
{
    public static FramePlan Plan(MediaInfo source, GenerationOptions options, MediaSettings settings)
    {
        var stride = settings.FrameCountStride;
        var ceiling = settings.MaxGeneratedFrames;

        var sourceRate = options.MatchInputFramesPerSecond ? source.FrameRate : Rational.FromInt(options.FramesPerSecond);
        var resample = !options.MatchInputFramesPerSecond || source.IsVariableFrameRate;
        var sourceFrames = SourceFramesAt(source, sourceRate, resample);

        var targetFrames = options.MatchInputNumFrames
            ? sourceFrames
            : SnapDown(Math.Clamp(options.NumFrames, 1, ceiling), stride);

        int k;
        var auto = false;
        if (options.TemporalDownsampleFactor > 0)
        {
            k = options.TemporalDownsampleFactor;
        }
        else if (options.EnableAutoDownsample && GeneratedFor(targetFrames, 0, stride) > ceiling)
        {
            k = PickAutoFactor(targetFrames, sourceRate, options.AutoDownsampleMinFps, settings)
                ?? throw TooManyFrames(targetFrames, sourceRate, options, settings, autoFailed: true);
            auto = true;
        }
        else
        {
            k = 0;
        }

        var generated = GeneratedFor(targetFrames, k, stride);
        if (generated > ceiling)
        {
            throw TooManyFrames(targetFrames, sourceRate, options, settings, autoFailed: false);
        }

        var n = Math.Max(0, options.NumInterpolatedFrames);
        var outputFrames = (targetFrames - 1) * (n + 1) + 1;
        return new FramePlan(
            SourceRate: sourceRate,
            ResampleSource: resample,
            TargetFrames: targetFrames,
            DownsampleFactor: k,
            GeneratedFrames: generated,
            GenerationRate: sourceRate.DivideBy(k + 1),
            InsertedFrames: n,
            OutputRate: sourceRate.MultiplyBy(n + 1),
            OutputFrames: outputFrames,
            AutoDownsampled: auto);
    }

    /// <summary>Frames the source yields at <paramref name="rate"/>.</summary>
    internal static int SourceFramesAt(MediaInfo source, Rational rate, bool resample)
    {
        if (!resample && source.FrameCount > 0)
        {
            return source.FrameCount;
        }
        var duration = source.DurationSeconds > 0 ? source.DurationSeconds : source.FrameCount / source.FrameRate.Value;
        return Math.Max(1, (int)Math.Round(duration * rate.Value, MidpointRounding.AwayFromZero));
    }

    /// <summary>Generated frames for <paramref name="targetFrames"/> with every (k+1)-th kept: enough to cover the last one, snapped up to 4k+1.</summary>
    internal static int GeneratedFor(int targetFrames, int k, int stride)
    {
        var needed = (targetFrames - 1 + k) / (k + 1) + 1;
        return SnapUp(needed, stride);
    }

    internal static int SnapDown(int frames, int stride) => Math.Max(1, (frames - 1) / stride * stride + 1);

    internal static int SnapUp(int frames, int stride) => (frames - 1 + stride - 1) / stride * stride + 1;

    private static int? PickAutoFactor(int targetFrames, Rational sourceRate, double minFps, MediaSettings settings)
    {
        for (var k = 1; k <= settings.MaxAutoDownsampleFactor; k++)
        {
            if (sourceRate.Value / (k + 1) < minFps)
            {
                return null;
            }
            if (GeneratedFor(targetFrames, k, settings.FrameCountStride) <= settings.MaxGeneratedFrames)
            {
                return k;
            }
        }
        return null;
    }

    private static ReframeFailure TooManyFrames(int targetFrames, Rational rate, GenerationOptions options, MediaSettings settings, bool autoFailed)
    {
        var fps = rate.Value.ToString("0.##", CultureInfo.InvariantCulture);
        var ceiling = settings.MaxGeneratedFrames;
        var why = autoFailed
            ? $"enable_auto_downsample found no factor up to {settings.MaxAutoDownsampleFactor} that fits {ceiling} frames while keeping at least {options.AutoDownsampleMinFps.ToString("0.##", CultureInfo.InvariantCulture)} fps"
            : $"at most {ceiling} frames can be generated";
        var message =
            $"the source has {targetFrames} frames at {fps} fps and {why}. " +
            $"Ways out: set enable_auto_downsample: true (optionally lowering auto_downsample_min_fps), " +
            $"or set temporal_downsample_factor (1..5) to generate every (k+1)-th frame and interpolate back, " +
            $"or set match_input_num_frames: false with num_frames (17..{ceiling}) to take the start of the clip, " +
            $"or lower frames_per_second with match_input_frames_per_second: false.";
        return new ReframeFailure(TaskErrorNames.TooManyFrames, message);
    }
}
