namespace Reframe.Core.Requests;

/// <summary>
/// A validated generation request with every default applied (see ../shared/spec/API.md, "Request body").
/// This is the typed request: the HTTP layer turns JSON into it, the CLI turns flags into it, a task stores it
/// (<see cref="StoredRequest"/>), and the worker, the media pipeline and the engines read only this. Its fields, defaults,
/// ranges and wire names are defined in <see cref="RequestFields"/>; the initialisers below read the defaults from there.
/// </summary>
public sealed record GenerationOptions
{
    public const string ModelId = "alibaba/wan2.2-vace-fun-a14b-reframe";

    public const string DefaultNegativePrompt =
        "letterboxing, borders, black bars, bright colors, overexposed, static, blurred details, subtitles, style, " +
        "artwork, painting, picture, still, overall gray, worst quality, low quality, JPEG compression residue, ugly, " +
        "incomplete, extra fingers, poorly drawn hands, poorly drawn faces, deformed, disfigured, malformed limbs, " +
        "fused fingers, still picture, cluttered background, three legs, many people in the background, walking backwards";

    /// <summary>The source clip: http(s) URL or data: URI.</summary>
    public required string VideoUrl { get; init; }

    /// <summary>Reference for the first frame; the API treats it as <see cref="FirstFrameUrl"/>.</summary>
    public string? ImageUrl { get; init; }
    public string? FirstFrameUrl { get; init; }
    public string? LastFrameUrl { get; init; }

    public string Prompt { get; init; } = RequestFields.Prompt.Default;
    public string NegativePrompt { get; init; } = RequestFields.NegativePrompt.Default;

    public bool MatchInputNumFrames { get; init; } = RequestFields.MatchInputNumFrames.Default;
    public int NumFrames { get; init; } = RequestFields.NumFrames.Default;
    public bool MatchInputFramesPerSecond { get; init; } = RequestFields.MatchInputFramesPerSecond.Default;
    public int FramesPerSecond { get; init; } = RequestFields.FramesPerSecond.Default;

    public Resolution Resolution { get; init; } = WireNames.Resolutions[RequestFields.Resolution.Default];
    public AspectRatio AspectRatio { get; init; } = WireNames.AspectRatios[RequestFields.AspectRatio.Default];
    public double ZoomFactor { get; init; } = RequestFields.ZoomFactor.Default;
    public bool TrimBorders { get; init; } = RequestFields.TrimBorders.Default;

    public int NumInferenceSteps { get; init; } = RequestFields.NumInferenceSteps.Default;
    public double GuidanceScale { get; init; } = RequestFields.GuidanceScale.Default;
    public double Shift { get; init; } = RequestFields.Shift.Default;
    public Sampler Sampler { get; init; } = WireNames.Samplers[RequestFields.Sampler.Default];
    /// <summary>Null means "pick one"; the seed actually used is reported in the task's meta.</summary>
    public long? Seed { get; init; }
    public Acceleration Acceleration { get; init; } = WireNames.Accelerations[RequestFields.Acceleration.Default];

    public bool EnableSafetyChecker { get; init; } = RequestFields.EnableSafetyChecker.Default;
    public bool EnablePromptExpansion { get; init; } = RequestFields.EnablePromptExpansion.Default;
    public bool Preprocess { get; init; } = RequestFields.Preprocess.Default;

    public VideoQuality VideoQuality { get; init; } = WireNames.VideoQualities[RequestFields.VideoQuality.Default];
    public VideoWriteMode VideoWriteMode { get; init; } = WireNames.VideoWriteModes[RequestFields.VideoWriteMode.Default];

    public int NumInterpolatedFrames { get; init; } = RequestFields.NumInterpolatedFrames.Default;
    public InterpolatorModel InterpolatorModel { get; init; } = WireNames.InterpolatorModels[RequestFields.InterpolatorModel.Default];
    public int TemporalDownsampleFactor { get; init; } = RequestFields.TemporalDownsampleFactor.Default;
    public bool EnableAutoDownsample { get; init; } = RequestFields.EnableAutoDownsample.Default;
    public double AutoDownsampleMinFps { get; init; } = RequestFields.AutoDownsampleMinFps.Default;

    public bool SyncMode { get; init; } = RequestFields.SyncMode.Default;
    public string? WebhookUrl { get; init; }

    /// <summary>The first-frame anchor, whichever of the two fields carried it.</summary>
    public string? EffectiveFirstFrameUrl => FirstFrameUrl ?? ImageUrl;
}
