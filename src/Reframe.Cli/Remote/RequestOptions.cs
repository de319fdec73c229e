using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reframe.Cli.Commands;
using Reframe.Client;

namespace Reframe.Cli.Remote;

/// <summary>
/// The request-body flags of <c>submit</c>: the same <see cref="GenerationFlags"/> as <c>run</c> (so names, ranges
/// and choices cannot drift), plus the fields only a server has (<c>--webhook-url</c>, <c>--sync-mode</c>).
/// Only flags the user actually typed go into the request: the rest is left to the server's defaults, which
/// matters against a server whose tunable defaults differ (or the hosted API).
/// </summary>
public sealed class RequestOptions
{
    private readonly GenerationFlags _flags = new();

    public Option<string?> FirstFrame { get; } = new("--first-frame", "--image") { Description = "An image (file or URL) pinned as the first frame (API: first_frame_url / image_url)." };
    public Option<string?> LastFrame { get; } = new("--last-frame") { Description = "An image (file or URL) pinned as the last frame (API: last_frame_url)." };
    public Option<bool> SyncMode { get; } = new("--sync-mode") { Description = "Return the result inline; the server keeps no copy." };
    public Option<string?> WebhookUrl { get; } = new("--webhook-url") { Description = "POST the final response object there, signed (see docs/client.md)." };

    public void AddTo(Command command)
    {
        foreach (var option in _flags.All.Concat([FirstFrame, LastFrame, SyncMode, WebhookUrl]))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The typed request for a source that is already an http(s) URL or data: URI.</summary>
    public async Task<GenerationRequest> BuildAsync(ParseResult parse, string videoUrl, CancellationToken cancellationToken)
    {
        var f = _flags;
        return new GenerationRequest
        {
            VideoUrl = videoUrl,
            FirstFrameUrl = await InputReference.ResolveAsync(parse.GetValue(FirstFrame), "--first-frame", cancellationToken).ConfigureAwait(false),
            LastFrameUrl = await InputReference.ResolveAsync(parse.GetValue(LastFrame), "--last-frame", cancellationToken).ConfigureAwait(false),
            Prompt = Typed(parse, f.Prompt),
            NegativePrompt = Typed(parse, f.NegativePrompt),
            MatchInputNumFrames = TypedValue(parse, f.MatchInputNumFrames),
            NumFrames = TypedValue(parse, f.NumFrames),
            MatchInputFramesPerSecond = TypedValue(parse, f.MatchInputFramesPerSecond),
            FramesPerSecond = TypedValue(parse, f.FramesPerSecond),
            Resolution = Wire(Typed(parse, f.Resolution), CliJson.Default.ReframeResolution),
            AspectRatio = Wire(Typed(parse, f.AspectRatio), CliJson.Default.ReframeAspectRatio),
            ZoomFactor = TypedValue(parse, f.ZoomFactor),
            TrimBorders = TypedValue(parse, f.TrimBorders),
            NumInferenceSteps = TypedValue(parse, f.NumInferenceSteps),
            GuidanceScale = TypedValue(parse, f.GuidanceScale),
            Shift = TypedValue(parse, f.Shift),
            Sampler = Wire(Typed(parse, f.Sampler), CliJson.Default.ReframeSampler),
            Seed = parse.GetValue(f.Seed),
            Acceleration = Wire(Typed(parse, f.Acceleration), CliJson.Default.ReframeAcceleration),
            EnableSafetyChecker = TypedValue(parse, f.EnableSafetyChecker),
            EnablePromptExpansion = TypedValue(parse, f.EnablePromptExpansion),
            Preprocess = TypedValue(parse, f.Preprocess),
            VideoQuality = Wire(Typed(parse, f.VideoQuality), CliJson.Default.ReframeVideoQuality),
            VideoWriteMode = Wire(Typed(parse, f.VideoWriteMode), CliJson.Default.ReframeVideoWriteMode),
            NumInterpolatedFrames = TypedValue(parse, f.NumInterpolatedFrames),
            InterpolatorModel = Wire(Typed(parse, f.InterpolatorModel), CliJson.Default.ReframeInterpolatorModel),
            TemporalDownsampleFactor = TypedValue(parse, f.TemporalDownsampleFactor),
            EnableAutoDownsample = TypedValue(parse, f.EnableAutoDownsample),
            AutoDownsampleMinFps = TypedValue(parse, f.AutoDownsampleMinFps),
            SyncMode = parse.GetValue(SyncMode) ? true : null,
            WebhookUrl = parse.GetValue(WebhookUrl),
        };
    }

    // A flag counts only when typed: GenerationFlags carries run's defaults, which a server applies itself.
    private static bool WasTyped(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static T? Typed<T>(ParseResult parse, Option<T> option) where T : class =>
        WasTyped(parse, option) ? parse.GetValue(option) : null;

    private static T? TypedValue<T>(ParseResult parse, Option<T> option) where T : struct =>
        WasTyped(parse, option) ? parse.GetValue(option) : null;

    // The client's enums carry the wire spellings; reading them through its JSON converters keeps one source of truth.
    private static T? Wire<T>(string? wireName, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : struct =>
        wireName is null ? null : JsonSerializer.Deserialize(JsonSerializer.Serialize(wireName, CliJson.Default.String), type);
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
