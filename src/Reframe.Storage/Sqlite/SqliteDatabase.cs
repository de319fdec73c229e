using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode: a single writer connection behind an async lock (SQLite has one writer; queuing
/// in-process is cheaper than SQLITE_BUSY retries) and a pool of reader connections that WAL lets run beside it.
/// <c>synchronous=FULL</c>: a commit is on disk (the WAL is fsynced) before the call returns, so a 200 on
/// submission survives a power cut, not only a killed process. Submissions are group-committed to keep that cheap.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<ReaderSession> _readers = new();
    private bool _disposed;
    private long _writeVersion;

    private SqliteDatabase(string path)
    {
        Path = path;
        // Pooling off: this class pools, and keeps each connection's pragmas and prepared statements.
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString();
        _writer = OpenConnection();
    }

    public string Path { get; }

    /// <summary>Opens (creating if needed) the database file and its schema.</summary>
    public static SqliteDatabase Open(string path)
    {
        var db = new SqliteDatabase(path);
        using var cmd = db._writer.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = (string?)cmd.ExecuteScalar();
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite refused WAL mode for {path} (got '{mode}'); the data directory must be on a local file system.");
        }
        cmd.CommandText = SqliteSchema.Create;
        cmd.ExecuteNonQuery();
        SqliteSchema.Upgrade(db._writer);
        return db;
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
        cmd.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// Moves on before and after every write, committed or not: a reader that saw the same version before and after its
    /// read knows no write ran in between (<see cref="LiveTaskCache"/>).
    /// </summary>
    public long WriteVersion => Interlocked.Read(ref _writeVersion);

    /// <summary>Runs <paramref name="work"/> on the writer connection, alone.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return WriteHoldingLock(work);
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection, alone, blocking the caller (start-up only).</summary>
    public T WriteNow<T>(Func<SqliteConnection, T> work)
    {
        _writeLock.Wait();
        return WriteHoldingLock(work);
    }

    /// <summary>The write itself, once the caller holds the write lock; releases it.</summary>
    private T WriteHoldingLock<T>(Func<SqliteConnection, T> work)
    {
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Interlocked.Increment(ref _writeVersion);
            return work(_writer);
        }
        finally
        {
            Interlocked.Increment(ref _writeVersion);
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a reader connection (a consistent snapshot; never blocks the writer).</summary>
    public T Read<T>(Func<ReaderSession, T> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var session))
        {
            session = new ReaderSession(OpenConnection());
        }
        try
        {
            return work(session);
        }
        finally
        {
            if (_disposed || _readers.Count >= 64)
            {
                session.Dispose();
            }
            else
            {
                _readers.Add(session);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            while (_readers.TryTake(out var reader))
            {
                reader.Dispose();
            }
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
