using Reframe.Core.Engines;

namespace Reframe.Core.Tasks;

/// <summary>
/// The workers' side of the store: leases. A worker owns a task only while its lease is valid; every write it
/// makes names the lease, so a worker whose lease expired (it stalled, the task was taken again) cannot
/// overwrite the newer attempt, and a task is completed exactly once.
/// </summary>
public interface ITaskQueue
{
    /// <summary>Takes the oldest queued task, moving it to generating; null when the queue is empty.</summary>
    Task<TaskLease?> TryLeaseAsync(string workerId, CancellationToken cancellationToken);

    /// <summary>Extends the lease and records progress. Tells the worker whether it still holds the task and whether a cancel was asked.</summary>
    Task<LeaseState> RenewAsync(TaskLease lease, Engines.TaskProgress? progress, CancellationToken cancellationToken);

    /// <summary>Completes the task (only if the lease still holds). A cancel asked meanwhile wins: the task then ends cancelled.</summary>
    Task<LeaseState> CompleteAsync(TaskLease lease, TaskResult result, CancellationToken cancellationToken);

    /// <summary>Ends the task in <c>error</c> (only if the lease still holds).</summary>
    Task<LeaseState> FailAsync(TaskLease lease, TaskError error, CancellationToken cancellationToken);

    /// <summary>Gives the task back to the queue without counting the attempt (the host is stopping).</summary>
    Task<LeaseState> ReleaseAsync(TaskLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Sends tasks whose lease expired back to the queue, or to <c>error/attempts_exhausted</c> once they have
    /// used every attempt. Returns how many tasks moved.
    /// </summary>
    Task<int> RecoverExpiredLeasesAsync(CancellationToken cancellationToken);

    /// <summary>Queued tasks right now (for health and metrics).</summary>
    Task<long> CountQueuedAsync(CancellationToken cancellationToken);
}

/// <summary>A worker's hold on one task.</summary>
/// <param name="Token">Unique to this attempt; every write of the worker names it.</param>
/// <param name="Attempt">1 for the first take.</param>
/// <param name="RequestJson">The stored request (<see cref="Requests.StoredRequest"/>), inputs included.</param>
public sealed record TaskLease(Guid TaskId, Guid Token, string OwnerId, int Attempt, string RequestJson, long Seed)
{
    /// <summary>The typed request: what a worker reads, never the JSON (a stored request that does not read throws).</summary>
    public Requests.GenerationOptions Request => Requests.StoredRequest.Read(RequestJson);
}

public enum LeaseState
{
    /// <summary>The worker still holds the task (or the write it asked for was applied).</summary>
    Held,
    /// <summary>The worker holds the task but the client asked to cancel it.</summary>
    CancelRequested,
    /// <summary>The lease expired or the task moved on: the worker must drop it and write nothing more.</summary>
    Lost,
}

/// <summary>Queue tunables shared by every backend.</summary>
public sealed record TaskQueueOptions
{
    /// <summary>How long a lease lasts without renewal. Workers renew at a third of it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Takes allowed before a task whose workers keep dying ends in <c>error/attempts_exhausted</c>.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long a final task and its result are kept.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(24);
}
