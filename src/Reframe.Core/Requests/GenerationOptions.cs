namespace Reframe.Core.Requests;

/// <summary>
/// A validated generation request with every default applied (see ../shared/spec/API.md, "Request body").
/// This is the domain form: the HTTP layer turns JSON into it, the CLI turns flags into it, and the
/// media pipeline and engines read only this.
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

    public string Prompt { get; init; } = "";
    public string NegativePrompt { get; init; } = DefaultNegativePrompt;

    public bool MatchInputNumFrames { get; init; } = true;
    public int NumFrames { get; init; } = 81;
    public bool MatchInputFramesPerSecond { get; init; } = true;
    public int FramesPerSecond { get; init; } = 16;

    public Resolution Resolution { get; init; } = Resolution.P480;
    public AspectRatio AspectRatio { get; init; } = AspectRatio.Auto;
    public double ZoomFactor { get; init; }
    public bool TrimBorders { get; init; } = true;

    public int NumInferenceSteps { get; init; } = 30;
    public double GuidanceScale { get; init; } = 5;
    public double Shift { get; init; } = 5;
    public Sampler Sampler { get; init; } = Sampler.UniPC;
    /// <summary>Null means "pick one"; the seed actually used is reported in the task's meta.</summary>
    public long? Seed { get; init; }
    public Acceleration Acceleration { get; init; } = Acceleration.Regular;

    public bool EnableSafetyChecker { get; init; }
    public bool EnablePromptExpansion { get; init; }
    public bool Preprocess { get; init; }

    public VideoQuality VideoQuality { get; init; } = VideoQuality.High;
    public VideoWriteMode VideoWriteMode { get; init; } = VideoWriteMode.Balanced;

    public int NumInterpolatedFrames { get; init; }
    public InterpolatorModel InterpolatorModel { get; init; } = InterpolatorModel.Film;
    public int TemporalDownsampleFactor { get; init; }
    public bool EnableAutoDownsample { get; init; }
    public double AutoDownsampleMinFps { get; init; } = 15;

    public bool SyncMode { get; init; }
    public string? WebhookUrl { get; init; }

    /// <summary>The first-frame anchor, whichever of the two fields carried it.</summary>
    public string? EffectiveFirstFrameUrl => FirstFrameUrl ?? ImageUrl;
}
