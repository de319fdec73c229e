using Reframe.Core.Tasks;

namespace Reframe.Workers;

/// <summary>What the workers and the upkeep need from the host's settings (the host reads them from configuration).</summary>
public sealed record WorkerOptions
{
    /// <summary>Generation loops in this process (REFRAME_WORKERS); 0 runs none.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>This node's scratch space: inputs are fetched and results encoded here, then the task's folder is deleted.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The folder whose file system keeps the free-space reserve (REFRAME_MIN_FREE_MB).</summary>
    public required string DataDirectory { get; init; }

    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>How often an idle worker looks at the queue when no signal woke it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TaskQueueOptions Queue { get; init; } = new();

    /// <summary>
    /// A result blob no task refers to is deleted once it is this old. It must outlast the moment between a worker's
    /// upload and its completion (bounded by a lease: after that the completion is refused and the worker deletes
    /// the blob itself), so the default is two leases plus a minute.
    /// </summary>
    public TimeSpan? OrphanBlobGrace { get; init; }

    public TimeSpan EffectiveOrphanBlobGrace => OrphanBlobGrace ?? Queue.LeaseDuration * 2 + TimeSpan.FromMinutes(1);
}
