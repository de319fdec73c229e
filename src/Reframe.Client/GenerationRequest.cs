using System.Text.Json.Serialization;

namespace Reframe.Client;

/// <summary>
/// The POST body of <c>/v2/video/generations</c>. Every optional field is nullable and left out of the JSON
/// when null, so the server applies its own default (the contract's defaults live on the server, not here:
/// a client compiled today stays correct if a tunable default is re-calibrated).
/// </summary>
public sealed record GenerationRequest
{
    /// <summary>The only model of this contract.</summary>
    public const string ReframeModel = "alibaba/wan2.2-vace-fun-a14b-reframe";

    [JsonPropertyName("model")] public string Model { get; init; } = ReframeModel;

    /// <summary>The source clip: an http(s) URL or a <c>data:</c> URI (see <see cref="DataUri.FromFile"/>).</summary>
    [JsonPropertyName("video_url")] public required string VideoUrl { get; init; }

    [JsonPropertyName("image_url")] public string? ImageUrl { get; init; }
    [JsonPropertyName("first_frame_url")] public string? FirstFrameUrl { get; init; }
    [JsonPropertyName("last_frame_url")] public string? LastFrameUrl { get; init; }

    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; init; }

    [JsonPropertyName("match_input_num_frames")] public bool? MatchInputNumFrames { get; init; }
    /// <summary>17..241; snapped down to 4k+1 by the server.</summary>
    [JsonPropertyName("num_frames")] public int? NumFrames { get; init; }
    [JsonPropertyName("match_input_frames_per_second")] public bool? MatchInputFramesPerSecond { get; init; }
    /// <summary>5..30.</summary>
    [JsonPropertyName("frames_per_second")] public int? FramesPerSecond { get; init; }

    [JsonPropertyName("resolution")] public ReframeResolution? Resolution { get; init; }
    [JsonPropertyName("aspect_ratio")] public ReframeAspectRatio? AspectRatio { get; init; }
    /// <summary>0..0.9.</summary>
    [JsonPropertyName("zoom_factor")] public double? ZoomFactor { get; init; }
    [JsonPropertyName("trim_borders")] public bool? TrimBorders { get; init; }

    /// <summary>2..50.</summary>
    [JsonPropertyName("num_inference_steps")] public int? NumInferenceSteps { get; init; }
    /// <summary>1..10.</summary>
    [JsonPropertyName("guidance_scale")] public double? GuidanceScale { get; init; }
    /// <summary>1..15.</summary>
    [JsonPropertyName("shift")] public double? Shift { get; init; }
    [JsonPropertyName("sampler")] public ReframeSampler? Sampler { get; init; }
    [JsonPropertyName("seed")] public long? Seed { get; init; }
    [JsonPropertyName("acceleration")] public ReframeAcceleration? Acceleration { get; init; }

    [JsonPropertyName("enable_safety_checker")] public bool? EnableSafetyChecker { get; init; }
    [JsonPropertyName("enable_prompt_expansion")] public bool? EnablePromptExpansion { get; init; }
    [JsonPropertyName("preprocess")] public bool? Preprocess { get; init; }

    [JsonPropertyName("video_quality")] public ReframeVideoQuality? VideoQuality { get; init; }
    [JsonPropertyName("video_write_mode")] public ReframeVideoWriteMode? VideoWriteMode { get; init; }

    /// <summary>0..5.</summary>
    [JsonPropertyName("num_interpolated_frames")] public int? NumInterpolatedFrames { get; init; }
    [JsonPropertyName("interpolator_model")] public ReframeInterpolatorModel? InterpolatorModel { get; init; }
    /// <summary>0..5.</summary>
    [JsonPropertyName("temporal_downsample_factor")] public int? TemporalDownsampleFactor { get; init; }
    [JsonPropertyName("enable_auto_downsample")] public bool? EnableAutoDownsample { get; init; }
    /// <summary>1..60.</summary>
    [JsonPropertyName("auto_downsample_min_fps")] public double? AutoDownsampleMinFps { get; init; }

    /// <summary>The result comes back inline as a <c>data:</c> URI and is not kept by the server.</summary>
    [JsonPropertyName("sync_mode")] public bool? SyncMode { get; init; }
    /// <summary>Reframe extension: the final response object is POSTed there, signed (see docs/client.md).</summary>
    [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; init; }
}
