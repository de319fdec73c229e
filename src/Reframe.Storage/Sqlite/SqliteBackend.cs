using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// The embedded default: one SQLite file (<c>reframe.db</c>) in the data directory, owned by this process alone.
/// Opening it takes the directory lock, creates the schema and recovers the tasks the previous process left running.
/// </summary>
public sealed class SqliteBackend : IAsyncDisposable
{
    private readonly DataDirectoryLock _lock;
    private readonly SqliteDatabase _db;
    private readonly SqliteSubmissionBatcher _batcher;
    private readonly TaskSignalHub _signals = new();

    private SqliteBackend(DataDirectoryLock directoryLock, SqliteDatabase db, TaskQueueOptions options, TimeProvider time)
    {
        _lock = directoryLock;
        _db = db;
        _batcher = new SqliteSubmissionBatcher(db, _signals);
        Store = new SqliteTaskStore(db, _batcher, options, time, _signals);
        QueueImpl = new SqliteTaskQueue(db, options, time, _signals);
    }

    public ITaskStore Store { get; }

    /// <summary>In-process notifications: one process owns the file, so nobody else can change it.</summary>
    public ITaskSignals Signals => _signals;

    public ITaskQueue Queue => QueueImpl;

    private SqliteTaskQueue QueueImpl { get; }

    /// <summary>Tasks found running at start-up and sent back to the queue (or ended, when out of attempts or cancelled).</summary>
    public int OrphansRecovered { get; private set; }

    public string DatabasePath => _db.Path;

    public static SqliteBackend Open(string dataDirectory, TaskQueueOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directoryLock = DataDirectoryLock.Acquire(dataDirectory);
        try
        {
            var db = SqliteDatabase.Open(Path.Combine(dataDirectory, "reframe.db"));
            var backend = new SqliteBackend(directoryLock, db, options, time);
            backend.OrphansRecovered = backend.QueueImpl.RecoverOrphans();
            return backend;
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        await _db.DisposeAsync().ConfigureAwait(false);
        _lock.Dispose();
    }
}
