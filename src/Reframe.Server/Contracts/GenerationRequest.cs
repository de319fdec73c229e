using System.ComponentModel;

namespace Reframe.Server.Contracts;

/// <summary>
/// The POST body as the OpenAPI document shows it. The endpoint reads the JSON itself (so that it can name every
/// bad field, see Validation/); this record only documents the fields, their defaults and ranges.
/// </summary>
public sealed record GenerationRequest
{
    [Description("Must be \"alibaba/wan2.2-vace-fun-a14b-reframe\".")] public required string Model { get; init; }
    [Description("The source clip: http(s) URL or data: URI.")] public required string VideoUrl { get; init; }
    [Description("Reference image for the first frame (same as first_frame_url).")] public string? ImageUrl { get; init; }
    [Description("Image pinned as the first output frame.")] public string? FirstFrameUrl { get; init; }
    [Description("Image pinned as the last output frame.")] public string? LastFrameUrl { get; init; }
    [Description("What the new areas should show. Default \"\".")] public string? Prompt { get; init; }
    [Description("What to avoid. Default: the document's long default.")] public string? NegativePrompt { get; init; }
    [Description("Output length follows the source. Default true.")] public bool? MatchInputNumFrames { get; init; }
    [Description("17..241, default 81; snapped down to 4k+1.")] public int? NumFrames { get; init; }
    [Description("Output fps follows the source. Default true.")] public bool? MatchInputFramesPerSecond { get; init; }
    [Description("5..30, default 16.")] public int? FramesPerSecond { get; init; }
    [Description("480p | 580p | 720p | auto. Default 480p.")] public string? Resolution { get; init; }
    [Description("auto | 16:9 | 1:1 | 9:16. Default auto.")] public string? AspectRatio { get; init; }
    [Description("0..0.9, default 0.")] public double? ZoomFactor { get; init; }
    [Description("Remove bars burnt into the source. Default true.")] public bool? TrimBorders { get; init; }
    [Description("2..50, default 30.")] public int? NumInferenceSteps { get; init; }
    [Description("1..10, default 5.")] public double? GuidanceScale { get; init; }
    [Description("1..15, default 5.")] public double? Shift { get; init; }
    [Description("unipc | dpm++ | euler. Default unipc.")] public string? Sampler { get; init; }
    [Description("Integer; random when absent. The seed used is in meta.seed.")] public long? Seed { get; init; }
    [Description("none | low | regular. Default regular.")] public string? Acceleration { get; init; }
    [Description("Default false. True: the operator's ONNX image classifier (REFRAME_SAFETY_MODEL) checks frames sampled from the inputs before " +
                 "generating and from the result before it is stored; a flagged file ends the task in error content_policy_violation and no " +
                 "result is kept. meta.safety_checker says passed. Without a classifier the server either answers 400 naming this field or runs " +
                 "the task unchecked with meta.safety_checker unavailable (the operator's choice; the default is the latter).")]
    public bool? EnableSafetyChecker { get; init; }

    [Description("Default false. True: the prompt is rewritten by the operator's OpenAI-compatible chat-completions endpoint " +
                 "(REFRAME_PROMPT_EXPANSION_URL) into one paragraph describing the scene beyond the frame. meta.prompt is the prompt used, " +
                 "meta.original_prompt the one sent, meta.prompt_expansion expanded, skipped (empty prompt), unavailable (no endpoint) or " +
                 "failed (timeout, error, unusable answer: meta.prompt_expansion_reason says which); the task never fails because of it.")]
    public bool? EnablePromptExpansion { get; init; }
    [Description("Accepted for compatibility. Default false.")] public bool? Preprocess { get; init; }
    [Description("low | medium | high | maximum. Default high.")] public string? VideoQuality { get; init; }
    [Description("fast | balanced | small. Default balanced.")] public string? VideoWriteMode { get; init; }
    [Description("0..5, default 0.")] public int? NumInterpolatedFrames { get; init; }
    [Description("rife | film. Default film. The network that makes the interpolated frames when the operator installed its ONNX export " +
                 "(REFRAME_RIFE_MODEL, REFRAME_FILM_MODEL); otherwise ffmpeg's motion-compensated minterpolate runs. meta.interpolator says " +
                 "which ran, meta.interpolator_reason why the requested one did not.")]
    public string? InterpolatorModel { get; init; }
    [Description("0..5, default 0.")] public int? TemporalDownsampleFactor { get; init; }
    [Description("Default false.")] public bool? EnableAutoDownsample { get; init; }
    [Description("1..60, default 15.")] public double? AutoDownsampleMinFps { get; init; }
    [Description("Return the result inline as a data: URI. Default false.")] public bool? SyncMode { get; init; }
    [Description("http(s) URL; accepted and validated.")] public string? WebhookUrl { get; init; }
}
