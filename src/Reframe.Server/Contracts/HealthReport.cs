namespace Reframe.Server.Contracts;

/// <summary>The health endpoint's answer.</summary>
public sealed record HealthReport(string Status, long QueuedTasks, int Workers, int RunningTasks);
