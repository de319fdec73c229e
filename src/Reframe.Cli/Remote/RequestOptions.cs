using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reframe.Client;
using Reframe.Core.Requests;

namespace Reframe.Cli.Remote;

/// <summary>
/// One flag per field of the request body, named after the wire name (<c>aspect_ratio</c> becomes
/// <c>--aspect-ratio</c>). A flag left out is left out of the request, so the server's defaults apply; the
/// server validates ranges and names the field it rejects.
/// </summary>
public sealed class RequestOptions
{
    public Option<string?> Prompt { get; } = Text("--prompt", "what the new areas should show", "-p");
    public Option<string?> NegativePrompt { get; } = Text("--negative-prompt", "what to avoid (default: the contract's long list)");
    public Option<string?> AspectRatio { get; } = Choice("--aspect-ratio", "canvas shape (default auto)", WireNames.AspectRatios.Keys, "-a");
    public Option<string?> Resolution { get; } = Choice("--resolution", "size tier (default 480p)", WireNames.Resolutions.Keys, "-r");
    public Option<double?> ZoomFactor { get; } = Number<double>("--zoom-factor", "0..0.9, zoom the source in (default 0)");
    public Option<bool?> TrimBorders { get; } = Flag("--trim-borders", "remove bars burnt into the source (default true; --trim-borders false to keep them)");
    public Option<bool?> MatchInputNumFrames { get; } = Flag("--match-input-num-frames", "output length follows the source (default true)");
    public Option<int?> NumFrames { get; } = Number<int>("--num-frames", "17..241 frames when not matching the input (default 81)");
    public Option<bool?> MatchInputFramesPerSecond { get; } = Flag("--match-input-frames-per-second", "output fps follows the source (default true)");
    public Option<int?> FramesPerSecond { get; } = Number<int>("--frames-per-second", "5..30 when not matching the input (default 16)");
    public Option<int?> NumInferenceSteps { get; } = Number<int>("--num-inference-steps", "2..50 denoising steps (default 30)");
    public Option<double?> GuidanceScale { get; } = Number<double>("--guidance-scale", "1..10 (default 5)");
    public Option<double?> Shift { get; } = Number<double>("--shift", "1..15 (default 5)");
    public Option<string?> Sampler { get; } = Choice("--sampler", "flow sampler (default unipc)", WireNames.Samplers.Keys);
    public Option<long?> Seed { get; } = Number<long>("--seed", "same seed and inputs give the same output (default random)");
    public Option<string?> Acceleration { get; } = Choice("--acceleration", "speed against fidelity (default regular)", WireNames.Accelerations.Keys);
    public Option<bool?> EnableSafetyChecker { get; } = Flag("--enable-safety-checker", "run a content checker when one is installed");
    public Option<bool?> EnablePromptExpansion { get; } = Flag("--enable-prompt-expansion", "rewrite the prompt with a configured language model");
    public Option<string?> VideoQuality { get; } = Choice("--video-quality", "H.264 quality (default high)", WireNames.VideoQualities.Keys);
    public Option<string?> VideoWriteMode { get; } = Choice("--video-write-mode", "x264 speed against size (default balanced)", WireNames.VideoWriteModes.Keys);
    public Option<int?> NumInterpolatedFrames { get; } = Number<int>("--num-interpolated-frames", "0..5 frames inserted between each pair (default 0)");
    public Option<string?> InterpolatorModel { get; } = Choice("--interpolator-model", "interpolation network (default film)", WireNames.InterpolatorModels.Keys);
    public Option<int?> TemporalDownsampleFactor { get; } = Number<int>("--temporal-downsample-factor", "0..5: generate on every (k+1)-th frame, interpolate back (default 0)");
    public Option<bool?> EnableAutoDownsample { get; } = Flag("--enable-auto-downsample", "fit long sources into 241 frames automatically");
    public Option<double?> AutoDownsampleMinFps { get; } = Number<double>("--auto-downsample-min-fps", "1..60 floor for the above (default 15)");
    public Option<bool?> SyncMode { get; } = Flag("--sync-mode", "return the result inline; the server keeps no copy");
    public Option<string?> ImageUrl { get; } = Text("--first-frame", "image (file or URL) pinned as the first output frame");
    public Option<string?> LastFrameUrl { get; } = Text("--last-frame", "image (file or URL) pinned as the last output frame");
    public Option<string?> WebhookUrl { get; } = Text("--webhook-url", "POST the final result there (signed; see docs/client.md)");

    public void AddTo(Command command)
    {
        foreach (var option in All())
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The typed request for a source that is already an http(s) URL or data: URI.</summary>
    public async Task<GenerationRequest> BuildAsync(ParseResult parse, string videoUrl, CancellationToken cancellationToken) => new()
    {
        VideoUrl = videoUrl,
        FirstFrameUrl = await InputReference.ResolveAsync(parse.GetValue(ImageUrl), "--first-frame", cancellationToken).ConfigureAwait(false),
        LastFrameUrl = await InputReference.ResolveAsync(parse.GetValue(LastFrameUrl), "--last-frame", cancellationToken).ConfigureAwait(false),
        Prompt = parse.GetValue(Prompt),
        NegativePrompt = parse.GetValue(NegativePrompt),
        MatchInputNumFrames = parse.GetValue(MatchInputNumFrames),
        NumFrames = parse.GetValue(NumFrames),
        MatchInputFramesPerSecond = parse.GetValue(MatchInputFramesPerSecond),
        FramesPerSecond = parse.GetValue(FramesPerSecond),
        Resolution = Wire(parse.GetValue(Resolution), CliJson.Default.ReframeResolution),
        AspectRatio = Wire(parse.GetValue(AspectRatio), CliJson.Default.ReframeAspectRatio),
        ZoomFactor = parse.GetValue(ZoomFactor),
        TrimBorders = parse.GetValue(TrimBorders),
        NumInferenceSteps = parse.GetValue(NumInferenceSteps),
        GuidanceScale = parse.GetValue(GuidanceScale),
        Shift = parse.GetValue(Shift),
        Sampler = Wire(parse.GetValue(Sampler), CliJson.Default.ReframeSampler),
        Seed = parse.GetValue(Seed),
        Acceleration = Wire(parse.GetValue(Acceleration), CliJson.Default.ReframeAcceleration),
        EnableSafetyChecker = parse.GetValue(EnableSafetyChecker),
        EnablePromptExpansion = parse.GetValue(EnablePromptExpansion),
        VideoQuality = Wire(parse.GetValue(VideoQuality), CliJson.Default.ReframeVideoQuality),
        VideoWriteMode = Wire(parse.GetValue(VideoWriteMode), CliJson.Default.ReframeVideoWriteMode),
        NumInterpolatedFrames = parse.GetValue(NumInterpolatedFrames),
        InterpolatorModel = Wire(parse.GetValue(InterpolatorModel), CliJson.Default.ReframeInterpolatorModel),
        TemporalDownsampleFactor = parse.GetValue(TemporalDownsampleFactor),
        EnableAutoDownsample = parse.GetValue(EnableAutoDownsample),
        AutoDownsampleMinFps = parse.GetValue(AutoDownsampleMinFps),
        SyncMode = parse.GetValue(SyncMode),
        WebhookUrl = parse.GetValue(WebhookUrl),
    };

    private IEnumerable<Option> All() =>
    [
        Prompt, NegativePrompt, AspectRatio, Resolution, ZoomFactor, TrimBorders, MatchInputNumFrames, NumFrames,
        MatchInputFramesPerSecond, FramesPerSecond, NumInferenceSteps, GuidanceScale, Shift, Sampler, Seed, Acceleration,
        EnableSafetyChecker, EnablePromptExpansion, VideoQuality, VideoWriteMode, NumInterpolatedFrames, InterpolatorModel,
        TemporalDownsampleFactor, EnableAutoDownsample, AutoDownsampleMinFps, SyncMode, ImageUrl, LastFrameUrl, WebhookUrl,
    ];

    // The client's enums carry the wire spellings; reading them through its JSON converters keeps one source of truth.
    private static T? Wire<T>(string? wireName, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : struct =>
        wireName is null ? null : JsonSerializer.Deserialize(JsonSerializer.Serialize(wireName, CliJson.Default.String), type);

    private static Option<string?> Text(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description };

    private static Option<string?> Choice(string name, string description, IEnumerable<string> choices, params string[] aliases)
    {
        var option = new Option<string?>(name, aliases) { Description = description };
        option.AcceptOnlyFromAmong([.. choices]);
        return option;
    }

    private static Option<T?> Number<T>(string name, string description) where T : struct =>
        new(name) { Description = description };

    // "--flag" alone means true; "--flag false" sends false; absent leaves the server's default.
    private static Option<bool?> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };
}

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ReframeResolution))]
[JsonSerializable(typeof(ReframeAspectRatio))]
[JsonSerializable(typeof(ReframeSampler))]
[JsonSerializable(typeof(ReframeAcceleration))]
[JsonSerializable(typeof(ReframeVideoQuality))]
[JsonSerializable(typeof(ReframeVideoWriteMode))]
[JsonSerializable(typeof(ReframeInterpolatorModel))]
[JsonSerializable(typeof(Generation))]
internal sealed partial class CliJson : JsonSerializerContext;
