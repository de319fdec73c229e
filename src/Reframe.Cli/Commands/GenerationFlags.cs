using System.CommandLine;
using System.CommandLine.Parsing;
using Reframe.Core.Requests;

namespace Reframe.Cli.Commands;

/// <summary>
/// Every field of the API's request body as a flag: the wire name with dashes (<c>num_frames</c> →
/// <c>--num-frames</c>), the same defaults, ranges and enum names. Commands that submit a generation (run, and
/// later submit) share this one definition so they cannot drift from the API.
/// </summary>
public sealed class GenerationFlags
{
    private static readonly GenerationOptions Defaults = new() { VideoUrl = "" };

    public Option<string> Prompt { get; } = new("--prompt") { Description = "What the new areas should show.", DefaultValueFactory = _ => Defaults.Prompt };
    public Option<string> NegativePrompt { get; } = new("--negative-prompt") { Description = "What to avoid (default: the API's long default)." };
    public Option<bool> MatchInputNumFrames { get; } = Bool("--match-input-num-frames", Defaults.MatchInputNumFrames, "Output length follows the source; --num-frames is then ignored.");
    public Option<int> NumFrames { get; } = Int("--num-frames", Defaults.NumFrames, 17, 241, "Frames to generate when not matching the input; snapped down to 4k+1.");
    public Option<bool> MatchInputFramesPerSecond { get; } = Bool("--match-input-frames-per-second", Defaults.MatchInputFramesPerSecond, "Output fps follows the source; --frames-per-second is then ignored.");
    public Option<int> FramesPerSecond { get; } = Int("--frames-per-second", Defaults.FramesPerSecond, 5, 30, "Output fps when not matching the input.");
    public Option<string> Resolution { get; } = Choice("--resolution", WireNames.Of(Defaults.Resolution), WireNames.Resolutions.Keys, "Size tier.");
    public Option<string> AspectRatio { get; } = Choice("--aspect-ratio", WireNames.Of(Defaults.AspectRatio), WireNames.AspectRatios.Keys, "Canvas shape.");
    public Option<double> ZoomFactor { get; } = Double("--zoom-factor", Defaults.ZoomFactor, 0, 0.9, "Zoom the source in, cutting its edges.");
    public Option<bool> TrimBorders { get; } = Bool("--trim-borders", Defaults.TrimBorders, "Remove bars already burnt into the source.");
    public Option<int> NumInferenceSteps { get; } = Int("--num-inference-steps", Defaults.NumInferenceSteps, 2, 50, "Denoising steps (model engines).");
    public Option<double> GuidanceScale { get; } = Double("--guidance-scale", Defaults.GuidanceScale, 1, 10, "Classifier-free guidance (model engines).");
    public Option<double> Shift { get; } = Double("--shift", Defaults.Shift, 1, 15, "Flow-matching schedule shift (model engines).");
    public Option<string> Sampler { get; } = Choice("--sampler", WireNames.Of(Defaults.Sampler), WireNames.Samplers.Keys, "Flow sampler (model engines).");
    public Option<long?> Seed { get; } = new("--seed") { Description = "Seed (default: random; the classic engine ignores it)." };
    public Option<string> Acceleration { get; } = Choice("--acceleration", WireNames.Of(Defaults.Acceleration), WireNames.Accelerations.Keys, "Speed/fidelity trade (model engines).");
    public Option<bool> EnableSafetyChecker { get; } = Bool("--enable-safety-checker", Defaults.EnableSafetyChecker, "Run a content checker when one is installed.");
    public Option<bool> EnablePromptExpansion { get; } = Bool("--enable-prompt-expansion", Defaults.EnablePromptExpansion, "Rewrite the prompt with a configured language model.");
    public Option<bool> Preprocess { get; } = Bool("--preprocess", Defaults.Preprocess, "Accepted for compatibility; reframe has nothing to pre-process.");
    public Option<string> VideoQuality { get; } = Choice("--video-quality", WireNames.Of(Defaults.VideoQuality), WireNames.VideoQualities.Keys, "H.264 quality (CRF 28/23/18/12).");
    public Option<string> VideoWriteMode { get; } = Choice("--video-write-mode", WireNames.Of(Defaults.VideoWriteMode), WireNames.VideoWriteModes.Keys, "x264 preset (veryfast/medium/slow).");
    public Option<int> NumInterpolatedFrames { get; } = Int("--num-interpolated-frames", Defaults.NumInterpolatedFrames, 0, 5, "Insert n frames between each pair of output frames (fps x (n+1)).");
    public Option<string> InterpolatorModel { get; } = Choice("--interpolator-model", WireNames.Of(Defaults.InterpolatorModel), WireNames.InterpolatorModels.Keys, "Interpolation network; without its weights a classical interpolation runs.");
    public Option<int> TemporalDownsampleFactor { get; } = Int("--temporal-downsample-factor", Defaults.TemporalDownsampleFactor, 0, 5, "Generate every (k+1)-th frame, interpolate back.");
    public Option<bool> EnableAutoDownsample { get; } = Bool("--enable-auto-downsample", Defaults.EnableAutoDownsample, "Pick the smallest k that fits 241 frames at or above --auto-downsample-min-fps.");
    public Option<double> AutoDownsampleMinFps { get; } = Double("--auto-downsample-min-fps", Defaults.AutoDownsampleMinFps, 1, 60, "Floor for the above.");

    public IEnumerable<Option> All =>
    [
        Prompt, NegativePrompt, MatchInputNumFrames, NumFrames, MatchInputFramesPerSecond, FramesPerSecond, Resolution, AspectRatio,
        ZoomFactor, TrimBorders, NumInferenceSteps, GuidanceScale, Shift, Sampler, Seed, Acceleration, EnableSafetyChecker,
        EnablePromptExpansion, Preprocess, VideoQuality, VideoWriteMode, NumInterpolatedFrames, InterpolatorModel,
        TemporalDownsampleFactor, EnableAutoDownsample, AutoDownsampleMinFps,
    ];

    /// <summary>The request these flags describe.</summary>
    public GenerationOptions ToOptions(ParseResult result, string videoUrl, string? firstFrameUrl, string? lastFrameUrl) => new()
    {
        VideoUrl = videoUrl,
        FirstFrameUrl = firstFrameUrl,
        LastFrameUrl = lastFrameUrl,
        Prompt = result.GetValue(Prompt) ?? "",
        NegativePrompt = result.GetValue(NegativePrompt) ?? GenerationOptions.DefaultNegativePrompt,
        MatchInputNumFrames = result.GetValue(MatchInputNumFrames),
        NumFrames = result.GetValue(NumFrames),
        MatchInputFramesPerSecond = result.GetValue(MatchInputFramesPerSecond),
        FramesPerSecond = result.GetValue(FramesPerSecond),
        Resolution = WireNames.Resolutions[result.GetValue(Resolution)!],
        AspectRatio = WireNames.AspectRatios[result.GetValue(AspectRatio)!],
        ZoomFactor = result.GetValue(ZoomFactor),
        TrimBorders = result.GetValue(TrimBorders),
        NumInferenceSteps = result.GetValue(NumInferenceSteps),
        GuidanceScale = result.GetValue(GuidanceScale),
        Shift = result.GetValue(Shift),
        Sampler = WireNames.Samplers[result.GetValue(Sampler)!],
        Seed = result.GetValue(Seed),
        Acceleration = WireNames.Accelerations[result.GetValue(Acceleration)!],
        EnableSafetyChecker = result.GetValue(EnableSafetyChecker),
        EnablePromptExpansion = result.GetValue(EnablePromptExpansion),
        Preprocess = result.GetValue(Preprocess),
        VideoQuality = WireNames.VideoQualities[result.GetValue(VideoQuality)!],
        VideoWriteMode = WireNames.VideoWriteModes[result.GetValue(VideoWriteMode)!],
        NumInterpolatedFrames = result.GetValue(NumInterpolatedFrames),
        InterpolatorModel = WireNames.InterpolatorModels[result.GetValue(InterpolatorModel)!],
        TemporalDownsampleFactor = result.GetValue(TemporalDownsampleFactor),
        EnableAutoDownsample = result.GetValue(EnableAutoDownsample),
        AutoDownsampleMinFps = result.GetValue(AutoDownsampleMinFps),
    };

    private static Option<bool> Bool(string name, bool defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<int> Int(string name, int defaultValue, int min, int max, string description)
    {
        var option = new Option<int>(name) { Description = $"{description} [{min}..{max}]", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r => CheckRange(r, r.GetValueOrDefault<int>(), min, max));
        return option;
    }

    private static Option<double> Double(string name, double defaultValue, double min, double max, string description)
    {
        var option = new Option<double>(name) { Description = $"{description} [{min}..{max}]", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r => CheckRange(r, r.GetValueOrDefault<double>(), min, max));
        return option;
    }

    private static Option<string> Choice(string name, string defaultValue, IEnumerable<string> choices, string description)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong([.. choices]);
        return option;
    }

    private static void CheckRange<T>(OptionResult result, T value, T min, T max) where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            result.AddError($"{result.Option.Name} must be between {min} and {max}; got {value}.");
        }
    }
}
