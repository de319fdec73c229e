using System.Text.Json.Serialization;

namespace Reframe.Server.Contracts;

/// <summary>The response object of ../shared/spec/API.md (POST, GET, DELETE). <c>video</c>, <c>error</c> and <c>meta</c> are always present, null when empty.</summary>
public sealed record GenerationResponse(
    string Id,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] VideoInfo? Video,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ErrorInfo? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] MetaInfo? Meta);

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
    ProgressInfo? Progress = null);

public sealed record UsageInfo(long CreditsUsed);

public sealed record ProgressInfo(string Stage, int Step, int TotalSteps, double Percent);
