using System.Collections.Concurrent;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// Snapshots of queued and generating tasks, so repeated polls skip SQLite while nothing was written. Each snapshot
/// carries the database's write version (<see cref="SqliteDatabase.WriteVersion"/>) read before the row was read, and
/// is served only while that version is still current. Every write moves the version on before and after it runs, and
/// this process is the only writer (the data directory's lock), so a poll that starts after a write has returned
/// never sees what was cached before it: no stale answer, without listening to each kind of write. Any write
/// invalidates every snapshot, which is what a queue position needs (one lease moves every queued task up).
/// Bounded: when full it starts over.
/// </summary>
internal sealed class LiveTaskCache
{
    private const int Capacity = 50_000;
    private readonly ConcurrentDictionary<Guid, (GenerationTask Task, long Version)> _tasks = new();

    public GenerationTask? Find(Guid id, string ownerId, long version) =>
        _tasks.TryGetValue(id, out var entry) && entry.Version == version && entry.Task.OwnerId == ownerId ? entry.Task : null;

    public void Remember(GenerationTask task, long version)
    {
        if (TaskStateMachine.IsFinal(task.Status))
        {
            _tasks.TryRemove(task.Id, out _);
            return;
        }
        if (_tasks.Count >= Capacity)
        {
            _tasks.Clear();
        }
        _tasks[task.Id] = (task, version);
    }
}
