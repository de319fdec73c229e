namespace Reframe.Core.Requests;

/// <summary>
/// The request body, defined once: every field of ../shared/spec/API.md in the contract's order, with its wire name, kind,
/// default, range or choices, description and accessor on <see cref="GenerationOptions"/>. The validator, the stored form
/// (<see cref="StoredRequest"/>), the OpenAPI schema and the CLI's flags are all made by walking <see cref="All"/>, and
/// tests check the .NET client and the served OpenAPI document against it. Adding a field is a line here, a property on
/// <see cref="GenerationOptions"/> (whose initialiser reads the default from here) and whatever the field does.
/// </summary>
public static class RequestFields
{
    /// <summary>The text encoder reads 512 tokens; 20,000 characters is far beyond any real prompt.</summary>
    public const int MaxPromptLength = 20_000;

    /// <summary>Model names are short; anything longer is not a model we serve.</summary>
    public const int MaxModelLength = 256;

    public static readonly ConstantField Model = new("model", GenerationOptions.ModelId, MaxModelLength,
        $"Must be \"{GenerationOptions.ModelId}\".") { Required = true };

    public static readonly UrlField VideoUrl = new("video_url", FieldRole.Input, allowsDataUri: true, o => o.VideoUrl, (o, v) => o with { VideoUrl = v! },
        "The source clip: http(s) URL or data: URI.") { Required = true };

    public static readonly UrlField ImageUrl = new("image_url", FieldRole.Input, allowsDataUri: true, o => o.ImageUrl, (o, v) => o with { ImageUrl = v },
        "Reference image for the first frame (same as first_frame_url).");

    public static readonly UrlField FirstFrameUrl = new("first_frame_url", FieldRole.Input, allowsDataUri: true, o => o.FirstFrameUrl,
        (o, v) => o with { FirstFrameUrl = v }, "Image pinned as the first output frame.");

    public static readonly UrlField LastFrameUrl = new("last_frame_url", FieldRole.Input, allowsDataUri: true, o => o.LastFrameUrl,
        (o, v) => o with { LastFrameUrl = v }, "Image pinned as the last output frame.");

    public static readonly TextField Prompt = new("prompt", "", MaxPromptLength, o => o.Prompt, (o, v) => o with { Prompt = v },
        "What the new areas should show.");

    public static readonly TextField NegativePrompt = new("negative_prompt", GenerationOptions.DefaultNegativePrompt, MaxPromptLength,
        o => o.NegativePrompt, (o, v) => o with { NegativePrompt = v }, "What to avoid (default: the API's long default).");

    public static readonly FlagField MatchInputNumFrames = new("match_input_num_frames", FieldRole.Setting, true, o => o.MatchInputNumFrames,
        (o, v) => o with { MatchInputNumFrames = v }, "Output length follows the source; num_frames is then ignored.");

    public static readonly IntField NumFrames = new("num_frames", 81, 17, 241, o => o.NumFrames, (o, v) => o with { NumFrames = v },
        "Frames to generate when not matching the input; snapped down to 4k+1.");

    public static readonly FlagField MatchInputFramesPerSecond = new("match_input_frames_per_second", FieldRole.Setting, true,
        o => o.MatchInputFramesPerSecond, (o, v) => o with { MatchInputFramesPerSecond = v },
        "Output fps follows the source; frames_per_second is then ignored.");

    public static readonly IntField FramesPerSecond = new("frames_per_second", 16, 5, 30, o => o.FramesPerSecond,
        (o, v) => o with { FramesPerSecond = v }, "Output fps when not matching the input.");

    public static readonly ChoiceField Resolution = ChoiceField.Of("resolution", WireNames.Resolutions, Requests.Resolution.P480,
        o => o.Resolution, (o, v) => o with { Resolution = v }, "Size tier.");

    public static readonly ChoiceField AspectRatio = ChoiceField.Of("aspect_ratio", WireNames.AspectRatios, Requests.AspectRatio.Auto,
        o => o.AspectRatio, (o, v) => o with { AspectRatio = v }, "Canvas shape.");

    public static readonly NumberField ZoomFactor = new("zoom_factor", 0, 0, 0.9, o => o.ZoomFactor, (o, v) => o with { ZoomFactor = v },
        "Zoom the source in, cutting its edges.");

    public static readonly FlagField TrimBorders = new("trim_borders", FieldRole.Setting, true, o => o.TrimBorders, (o, v) => o with { TrimBorders = v },
        "Remove bars already burnt into the source.");

    public static readonly IntField NumInferenceSteps = new("num_inference_steps", 30, 2, 50, o => o.NumInferenceSteps,
        (o, v) => o with { NumInferenceSteps = v }, "Denoising steps (model engines).");

    public static readonly NumberField GuidanceScale = new("guidance_scale", 5, 1, 10, o => o.GuidanceScale, (o, v) => o with { GuidanceScale = v },
        "Classifier-free guidance (model engines).");

    public static readonly NumberField Shift = new("shift", 5, 1, 15, o => o.Shift, (o, v) => o with { Shift = v },
        "Flow-matching schedule shift (model engines).");

    public static readonly ChoiceField Sampler = ChoiceField.Of("sampler", WireNames.Samplers, Requests.Sampler.UniPC,
        o => o.Sampler, (o, v) => o with { Sampler = v }, "Flow sampler (model engines).");

    public static readonly IntegerField Seed = new("seed", o => o.Seed, (o, v) => o with { Seed = v },
        "Integer; random when absent. The seed used is in meta.seed (the classic engine ignores it).");

    public static readonly ChoiceField Acceleration = ChoiceField.Of("acceleration", WireNames.Accelerations, Requests.Acceleration.Regular,
        o => o.Acceleration, (o, v) => o with { Acceleration = v }, "Speed/fidelity trade (model engines).");

    public static readonly FlagField EnableSafetyChecker = new("enable_safety_checker", FieldRole.Setting, false, o => o.EnableSafetyChecker,
        (o, v) => o with { EnableSafetyChecker = v },
        "True: the operator's ONNX image classifier (REFRAME_SAFETY_MODEL) checks frames sampled from the inputs before " +
        "generating and from the result before it is stored; a flagged file ends the task in error content_policy_violation and no " +
        "result is kept. meta.safety_checker says passed. Without a classifier the server either answers 400 naming this field or runs " +
        "the task unchecked with meta.safety_checker unavailable (the operator's choice; the default is the latter).");

    public static readonly FlagField EnablePromptExpansion = new("enable_prompt_expansion", FieldRole.Setting, false, o => o.EnablePromptExpansion,
        (o, v) => o with { EnablePromptExpansion = v },
        "True: the prompt is rewritten by the operator's OpenAI-compatible chat-completions endpoint " +
        "(REFRAME_PROMPT_EXPANSION_URL) into one paragraph describing the scene beyond the frame. meta.prompt is the prompt used, " +
        "meta.original_prompt the one sent, meta.prompt_expansion expanded, skipped (empty prompt), unavailable (no endpoint) or " +
        "failed (timeout, error, unusable answer: meta.prompt_expansion_reason says which); the task never fails because of it.");

    public static readonly FlagField Preprocess = new("preprocess", FieldRole.Setting, false, o => o.Preprocess, (o, v) => o with { Preprocess = v },
        "Accepted for compatibility; reframe has nothing to pre-process.");

    public static readonly ChoiceField VideoQuality = ChoiceField.Of("video_quality", WireNames.VideoQualities, Requests.VideoQuality.High,
        o => o.VideoQuality, (o, v) => o with { VideoQuality = v }, "H.264 quality (CRF 28/23/18/12).");

    public static readonly ChoiceField VideoWriteMode = ChoiceField.Of("video_write_mode", WireNames.VideoWriteModes, Requests.VideoWriteMode.Balanced,
        o => o.VideoWriteMode, (o, v) => o with { VideoWriteMode = v }, "x264 preset (veryfast/medium/slow).");

    public static readonly IntField NumInterpolatedFrames = new("num_interpolated_frames", 0, 0, 5, o => o.NumInterpolatedFrames,
        (o, v) => o with { NumInterpolatedFrames = v }, "Insert n frames between each pair of output frames (fps x (n+1)).");

    public static readonly ChoiceField InterpolatorModel = ChoiceField.Of("interpolator_model", WireNames.InterpolatorModels,
        Requests.InterpolatorModel.Film, o => o.InterpolatorModel, (o, v) => o with { InterpolatorModel = v },
        "The network that makes the interpolated frames when the operator installed its ONNX export " +
        "(REFRAME_RIFE_MODEL, REFRAME_FILM_MODEL); otherwise ffmpeg's motion-compensated minterpolate runs. meta.interpolator says " +
        "which ran, meta.interpolator_reason why the requested one did not.");

    public static readonly IntField TemporalDownsampleFactor = new("temporal_downsample_factor", 0, 0, 5, o => o.TemporalDownsampleFactor,
        (o, v) => o with { TemporalDownsampleFactor = v }, "Generate every (k+1)-th frame, interpolate back.");

    public static readonly FlagField EnableAutoDownsample = new("enable_auto_downsample", FieldRole.Setting, false, o => o.EnableAutoDownsample,
        (o, v) => o with { EnableAutoDownsample = v }, "Pick the smallest k that fits 241 frames at or above auto_downsample_min_fps.");

    public static readonly NumberField AutoDownsampleMinFps = new("auto_downsample_min_fps", 15, 1, 60, o => o.AutoDownsampleMinFps,
        (o, v) => o with { AutoDownsampleMinFps = v }, "Floor for enable_auto_downsample.");

    public static readonly FlagField SyncMode = new("sync_mode", FieldRole.Delivery, false, o => o.SyncMode, (o, v) => o with { SyncMode = v },
        "Return the result inline as a data: URI; the server keeps no copy.");

    public static readonly UrlField WebhookUrl = new("webhook_url", FieldRole.Delivery, allowsDataUri: false, o => o.WebhookUrl,
        (o, v) => o with { WebhookUrl = v }, "http(s) URL: the final response object is POSTed there, signed (see docs/client.md).");

    /// <summary>Every field, in the contract's order (errors and the stored form follow it).</summary>
    public static readonly IReadOnlyList<RequestField> All =
    [
        Model, VideoUrl, ImageUrl, FirstFrameUrl, LastFrameUrl, Prompt, NegativePrompt, MatchInputNumFrames, NumFrames,
        MatchInputFramesPerSecond, FramesPerSecond, Resolution, AspectRatio, ZoomFactor, TrimBorders, NumInferenceSteps,
        GuidanceScale, Shift, Sampler, Seed, Acceleration, EnableSafetyChecker, EnablePromptExpansion, Preprocess, VideoQuality,
        VideoWriteMode, NumInterpolatedFrames, InterpolatorModel, TemporalDownsampleFactor, EnableAutoDownsample,
        AutoDownsampleMinFps, SyncMode, WebhookUrl,
    ];

    /// <summary>The field of this wire name, or null for a name the contract does not have.</summary>
    public static RequestField? Find(string wireName) => All.FirstOrDefault(f => string.Equals(f.WireName, wireName, StringComparison.Ordinal));
}
