using System.Text.Json.Serialization;

namespace Reframe.Server.Contracts;

/// <summary>The readiness endpoint's answer: the queue, and the engine this node runs.</summary>
public sealed record HealthReport(
    string Status,
    long QueuedTasks,
    int Workers,
    int RunningTasks,
    string Engine,
    string Device,
    [property: JsonPropertyName("dtype")] string? DType,
    string? EngineDetail);

/// <summary>The liveness endpoint's answer.</summary>
public sealed record LiveReport(string Status);
