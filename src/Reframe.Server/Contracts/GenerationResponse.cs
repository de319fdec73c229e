using System.Text.Json.Serialization;

namespace Reframe.Server.Contracts;

/// <summary>The response object of ../shared/spec/API.md (POST, GET, DELETE). <c>video</c>, <c>error</c> and <c>meta</c> are always present, null when empty.</summary>
public sealed record GenerationResponse(
    string Id,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] VideoInfo? Video,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ErrorInfo? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] MetaInfo? Meta)
{
    /// <summary>
    /// Extension, on completed and error tasks only: when the task, its result and its idempotency key are deleted
    /// (REFRAME_RETENTION_MINUTES after it ended), ISO 8601 in UTC. A DELETE removes them sooner.
    /// </summary>
    public string? ExpiresAt { get; init; }
}

public sealed record VideoInfo(
    string Url,
    string ContentType,
    long FileSize,
    int Width,
    int Height,
    double Fps,
    int NumFrames,
    double Duration);

public sealed record ErrorInfo(string Name, string Message);

/// <summary><c>usage</c> is the document's; the rest are our extensions, omitted when they do not apply.</summary>
public sealed record MetaInfo(
    UsageInfo Usage,
    long? Seed = null,
    string? Prompt = null,
    string? Engine = null,
    string? Interpolator = null,
    long? QueuePosition = null,
    ProgressInfo? Progress = null,
    RectInfo? ContentRect = null,
    RectInfo? KeepRect = null)
{
    // What actually ran (EngineReport), on completed tasks; see docs/api.md "meta".
    public string? Sampler { get; init; }
    public int? Steps { get; init; }
    public double? Shift { get; init; }
    public double? GuidanceScale { get; init; }
    public int? Windows { get; init; }
    public string? Acceleration { get; init; }
    public int? StepsComputed { get; init; }
    public int? StepsReused { get; init; }
    public string? Device { get; init; }

    [JsonPropertyName("dtype")]
    public string? DType { get; init; }

    /// <summary>Seconds per stage: <c>load</c>, <c>text</c>, <c>vae_encode</c>, <c>denoise</c>, <c>vae_decode</c>, <c>encode</c>...</summary>
    public IReadOnlyDictionary<string, double>? Timings { get; init; }

    // The optional parts a request can ask for, and what became of them (docs/api.md, "Optional parts").

    /// <summary>Why <c>interpolator</c> is not the requested <c>interpolator_model</c>.</summary>
    public string? InterpolatorReason { get; init; }

    /// <summary>The prompt as sent, when expansion was asked for (<c>prompt</c> is the one used).</summary>
    public string? OriginalPrompt { get; init; }

    /// <summary><c>expanded</c>, <c>skipped</c>, <c>unavailable</c> or <c>failed</c>, when expansion was asked for.</summary>
    public string? PromptExpansion { get; init; }

    /// <summary>Why the prompt was not expanded.</summary>
    public string? PromptExpansionReason { get; init; }

    /// <summary><c>passed</c> or <c>unavailable</c>, when the safety checker was asked for.</summary>
    public string? SafetyChecker { get; init; }

    /// <summary>This meta with the fields of an engine report (none when the task has no report).</summary>
    public MetaInfo WithReport(Reframe.Core.Engines.EngineReport? report) => report is null ? this : this with
    {
        Sampler = report.Sampler,
        Steps = report.Steps,
        Shift = report.Shift,
        GuidanceScale = report.GuidanceScale,
        Windows = report.Windows,
        Acceleration = report.Acceleration,
        StepsComputed = report.StepsComputed,
        StepsReused = report.StepsReused,
        Device = report.Device,
        DType = report.DType,
        Timings = report.Timings,
    };
}

public sealed record UsageInfo(long CreditsUsed);

public sealed record ProgressInfo(string Stage, int Step, int TotalSteps, double Percent);

/// <summary>A pixel rectangle on the output canvas (<c>meta.content_rect</c>, <c>meta.keep_rect</c>): [x, x + width) x [y, y + height).</summary>
public sealed record RectInfo(int X, int Y, int Width, int Height)
{
    public static RectInfo? From(Reframe.Core.Engines.PixelRect? rect) =>
        rect is { } r ? new RectInfo(r.X, r.Y, r.Width, r.Height) : null;
}
