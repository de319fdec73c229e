using System.Collections.Concurrent;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// Snapshots of tasks that reached a final status, so polls of finished tasks skip the database. No statement ever
/// changes a row once it is completed or error (every update is guarded by <c>status = queued</c> or
/// <c>status = generating</c>); the purge deletes it after <see cref="GenerationTask.ExpiresAt"/>, past which no
/// snapshot is served, and a client's DELETE removes it early: the store that deletes calls <see cref="Forget"/>
/// (PostgreSQL: every node, on the delete's notification). Bounded: when full it starts over.
/// </summary>
internal sealed class FinalTaskCache
{
    private const int Capacity = 50_000;
    private readonly ConcurrentDictionary<Guid, GenerationTask> _tasks = new();

    public GenerationTask? Find(Guid id, string ownerId, DateTimeOffset now) =>
        _tasks.TryGetValue(id, out var task) && task.OwnerId == ownerId && task.ExpiresAt > now ? task : null;

    // Deleted ids: a poll that read the row just before the delete must not put its snapshot back afterwards.
    private readonly ConcurrentDictionary<Guid, byte> _deleted = new();

    public void Forget(Guid id)
    {
        if (_deleted.Count >= Capacity)
        {
            _deleted.Clear();
        }
        _deleted[id] = 0;
        _tasks.TryRemove(id, out _);
    }

    /// <summary>Drops a snapshot another node may have deleted (its change notification), without remembering the id.</summary>
    public void Evict(Guid id) => _tasks.TryRemove(id, out _);

    /// <summary>Notifications may have been missed (a reconnect): a deletion among them must not leave a snapshot behind.</summary>
    public void Clear() => _tasks.Clear();

    public void Remember(GenerationTask task)
    {
        if (!TaskStateMachine.IsFinal(task.Status) || task.ExpiresAt is null || _deleted.ContainsKey(task.Id))
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
