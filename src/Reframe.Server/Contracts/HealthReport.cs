using System.Text.Json.Serialization;

namespace Reframe.Server.Contracts;

/// <summary>The readiness endpoint's answer: each check, the queue, and the engine this node runs.</summary>
public sealed record HealthReport(
    string Status,
    long QueuedTasks,
    int Workers,
    int RunningTasks,
    string Engine,
    string Device,
    [property: JsonPropertyName("dtype")] string? DType,
    string? EngineDetail)
{
    /// <summary>Per dependency (<c>task_store</c>, <c>blob_store</c>, <c>ffmpeg</c>, <c>engine</c>): "ok", or what failed.</summary>
    public IReadOnlyDictionary<string, string>? Checks { get; init; }
}

/// <summary>The liveness endpoint's answer.</summary>
public sealed record LiveReport(string Status);
