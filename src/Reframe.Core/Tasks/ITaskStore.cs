namespace Reframe.Core.Tasks;

/// <summary>
/// Durable storage of generation tasks as clients see them. Implementations: SQLite (embedded default, one
/// node); a shared database (e.g. PostgreSQL) for several nodes. Every call that returns has committed.
/// Reads and cancels are scoped by owner: another owner's id behaves exactly like an unknown one.
/// </summary>
public interface ITaskStore
{
    /// <summary>Persists a new queued task. When the returned task completes the row is durable.</summary>
    Task CreateAsync(NewGenerationTask task, CancellationToken cancellationToken);

    /// <summary>The task, with its queue position when queued; null when unknown, expired or not the owner's.</summary>
    Task<GenerationTask?> FindAsync(Guid id, string ownerId, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels: a queued task ends at once in <c>error/cancelled</c>; a generating one is flagged for its worker,
    /// which stops at its next safe point.
    /// </summary>
    Task<CancelOutcome> RequestCancelAsync(Guid id, string ownerId, CancellationToken cancellationToken);

    /// <summary>Deletes every final task whose retention has passed and returns their result file tokens.</summary>
    Task<IReadOnlyList<string>> PurgeExpiredAsync(CancellationToken cancellationToken);

    /// <summary>The owner's queued and generating tasks (for the per-key limit), counted by the store of every node.</summary>
    Task<long> CountActiveAsync(string ownerId, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="taskIds"/> are queued or generating (their stored inputs are still needed).</summary>
    Task<IReadOnlySet<Guid>> ActiveTaskIdsAsync(IReadOnlyCollection<Guid> taskIds, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="fileTokens"/> a task still refers to (the others are orphaned blobs).</summary>
    Task<IReadOnlySet<string>> ReferencedFileTokensAsync(IReadOnlyCollection<string> fileTokens, CancellationToken cancellationToken);
}

public enum CancelOutcome
{
    /// <summary>Unknown id, or another owner's.</summary>
    NotFound,
    /// <summary>It was queued and is now <c>error/cancelled</c>.</summary>
    CancelledWhileQueued,
    /// <summary>It is running; its worker will stop it.</summary>
    CancelRequested,
    /// <summary>It had already ended (completed or error).</summary>
    AlreadyEnded,
}
