using System.Collections.Concurrent;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// Snapshots of tasks that reached a final status, so polls of finished tasks skip SQLite. Safe without
/// invalidation: no statement ever changes a row once it is completed or error (every update is guarded by
/// <c>status = queued</c> or <c>status = generating</c>), only the purge deletes it, and a snapshot is served only
/// before its <see cref="GenerationTask.ExpiresAt"/>. Bounded: when full it starts over.
/// </summary>
internal sealed class FinalTaskCache
{
    private const int Capacity = 50_000;
    private readonly ConcurrentDictionary<Guid, GenerationTask> _tasks = new();

    public GenerationTask? Find(Guid id, string ownerId, DateTimeOffset now) =>
        _tasks.TryGetValue(id, out var task) && task.OwnerId == ownerId && task.ExpiresAt > now ? task : null;

    public void Remember(GenerationTask task)
    {
        if (!TaskStateMachine.IsFinal(task.Status) || task.ExpiresAt is null)
        {
            return;
        }
        if (_tasks.Count >= Capacity)
        {
            _tasks.Clear();
        }
        _tasks[task.Id] = task;
    }
}
