namespace Reframe.Core.Tasks;

/// <summary>
/// Every transition a task may make, in one place. Stores express these as guarded updates
/// (<c>UPDATE ... WHERE status = from</c>) so that two workers, or a worker and a cancel, can never both win.
/// </summary>
/// <remarks>
/// queued -> generating  a worker leases it
/// queued -> error       cancelled before a worker took it
/// generating -> queued  the lease expired or was released (the worker died or the host is stopping)
/// generating -> completed | error   the worker that holds the lease finished it (or attempts ran out)
/// completed and error are final.
/// </remarks>
public static class TaskStateMachine
{
    public static bool CanMove(GenerationTaskStatus from, GenerationTaskStatus to) => (from, to) switch
    {
        (GenerationTaskStatus.Queued, GenerationTaskStatus.Generating) => true,
        (GenerationTaskStatus.Queued, GenerationTaskStatus.Error) => true,
        (GenerationTaskStatus.Generating, GenerationTaskStatus.Queued) => true,
        (GenerationTaskStatus.Generating, GenerationTaskStatus.Completed) => true,
        (GenerationTaskStatus.Generating, GenerationTaskStatus.Error) => true,
        _ => false,
    };

    public static bool IsFinal(GenerationTaskStatus status) =>
        status is GenerationTaskStatus.Completed or GenerationTaskStatus.Error;

    /// <summary>The wire name (<c>queued</c>, <c>generating</c>, <c>completed</c>, <c>error</c>).</summary>
    public static string WireName(GenerationTaskStatus status) => status switch
    {
        GenerationTaskStatus.Queued => "queued",
        GenerationTaskStatus.Generating => "generating",
        GenerationTaskStatus.Completed => "completed",
        GenerationTaskStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown status"),
    };
}
