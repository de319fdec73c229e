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
    ProgressInfo? Progress = null,
    RectInfo? ContentRect = null,
    RectInfo? KeepRect = null);

public sealed record UsageInfo(long CreditsUsed);

public sealed record ProgressInfo(string Stage, int Step, int TotalSteps, double Percent);

/// <summary>A pixel rectangle on the output canvas (<c>meta.content_rect</c>, <c>meta.keep_rect</c>): [x, x + width) x [y, y + height).</summary>
public sealed record RectInfo(int X, int Y, int Width, int Height)
{
    public static RectInfo? From(Reframe.Core.Engines.PixelRect? rect) =>
        rect is { } r ? new RectInfo(r.X, r.Y, r.Width, r.Height) : null;
}
