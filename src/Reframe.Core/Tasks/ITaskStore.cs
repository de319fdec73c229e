namespace Reframe.Core.Tasks;

/// <summary>
/// Durable storage of generation tasks as clients see them. Implementations: SQLite (embedded default, one
/// node); a shared database (e.g. PostgreSQL) for several nodes. Every call that returns has committed.
/// Reads and cancels are scoped by owner: another owner's id behaves exactly like an unknown one.
/// </summary>
public interface ITaskStore
{
    /// <summary>
    /// Persists a new queued task. When the returned task completes the row is durable. Returns null when the task was
    /// created; when the task carries an idempotency key that the owner already used on a task that still exists, nothing
    /// is created and the earlier submission is returned (a race between two POSTs with one key has one winner).
    /// </summary>
    Task<IdempotentSubmission?> CreateAsync(NewGenerationTask task, CancellationToken cancellationToken);

    /// <summary>The owner's task created with <paramref name="idempotencyKey"/>, while that task exists (until its retention ends).</summary>
    Task<IdempotentSubmission?> FindByIdempotencyKeyAsync(string ownerId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// The owner's tasks, newest first: at most <see cref="TaskListQuery.Limit"/> of them, older than the query's cursor,
    /// of its status when one is given. Expired tasks are not listed; inputs and results are not loaded beyond the read model.
    /// </summary>
    Task<TaskPage> ListAsync(string ownerId, TaskListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the owner's final task now (before its retention ends) and returns its result's file token so the caller
    /// can delete the blob. A queued or generating task is not deleted (cancel it first).
    /// </summary>
    Task<DeleteOutcome> DeleteFinishedAsync(Guid id, string ownerId, CancellationToken cancellationToken);

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

    /// <summary>How many tasks each status has right now, every owner together (expired ones not counted): for metrics.</summary>
    Task<IReadOnlyDictionary<GenerationTaskStatus, long>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="taskIds"/> are queued or generating (their stored inputs are still needed).</summary>
    Task<IReadOnlySet<Guid>> ActiveTaskIdsAsync(IReadOnlyCollection<Guid> taskIds, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="fileTokens"/> a task still refers to (the others are orphaned blobs).</summary>
    Task<IReadOnlySet<string>> ReferencedFileTokensAsync(IReadOnlyCollection<string> fileTokens, CancellationToken cancellationToken);
}

/// <summary>An earlier submission under the same idempotency key.</summary>
/// <param name="RequestHash">What the request hashed to (<see cref="NewGenerationTask.RequestHash"/>), to tell a retry from a different body.</param>
public sealed record IdempotentSubmission(Guid TaskId, string RequestHash);

/// <summary>A page of <see cref="ITaskStore.ListAsync"/>.</summary>
/// <param name="Limit">1 or more.</param>
/// <param name="Before">Only tasks older than this position (the previous page's <see cref="TaskPage.Next"/>); null for the first page.</param>
/// <param name="Status">Only tasks of this status; null for all.</param>
public sealed record TaskListQuery(int Limit, long? Before, GenerationTaskStatus? Status);

/// <param name="Tasks">Newest first.</param>
/// <param name="Next">The position to ask for the next page with; null when this page is the last.</param>
public sealed record TaskPage(IReadOnlyList<GenerationTask> Tasks, long? Next);

/// <param name="Found">false: unknown, expired or another owner's.</param>
/// <param name="Finished">false: the task is queued or generating and was not deleted.</param>
/// <param name="FileToken">The deleted task's result file, to delete from the blob store (null in sync mode or on error).</param>
public sealed record DeleteOutcome(bool Found, bool Finished, string? FileToken);

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
