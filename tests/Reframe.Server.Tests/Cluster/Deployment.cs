using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Cluster;

/// <summary>
/// What the scale-out scenario needs from a running deployment, so the same scenario runs on the cluster (2 API + 3
/// worker processes on PostgreSQL and s3rver) and on the embedded default (one process, SQLite, local files), where
/// "an API node" and "a worker" are the same process.
/// </summary>
public interface IDeployment : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The API nodes clients use; their number never changes (a restarted node takes its old slot).</summary>
    IReadOnlyList<ChildServer> ApiNodes { get; }

    /// <summary>Creates a key the way an operator does (the CLI), after every node started.</summary>
    Task<string> CreateKeyAsync();

    /// <summary>SIGKILLs a process running one of <paramref name="candidates"/> now; returns the task it held.</summary>
    Task<Guid> KillAWorkerHoldingOneOfAsync(IReadOnlyCollection<Guid> candidates, TimeSpan timeout);

    /// <summary>SIGKILLs API node <paramref name="index"/>; <see cref="RestartApiAsync"/> brings it back on the same data directory.</summary>
    Task KillApiAsync(int index);

    Task RestartApiAsync(int index);

    /// <summary>The task table as the store has it.</summary>
    Task<IReadOnlyList<StoredTask>> ReadTasksAsync();

    /// <summary>Keys of every blob in the store (results, and inputs moved there by the API).</summary>
    Task<IReadOnlyList<string>> ResultBlobsAsync();

    /// <summary>Every line every process that ran tasks has written, killed ones included.</summary>
    IEnumerable<string> WorkerLog();

    /// <summary>Which process held a task (its lease owner), while it runs.</summary>
    Task<string?> LeaseOwnerAsync(Guid task);
}

public sealed record StoredTask(Guid Id, int Status, int Attempts, string? FileToken);
