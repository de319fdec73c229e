using Microsoft.Data.Sqlite;
using Reframe.Core.Tasks;
using Reframe.Storage.Sqlite;
using Reframe.Storage.Tests.Contracts;
using Reframe.TestSupport;

namespace Reframe.Storage.Tests.Sqlite;

/// <summary>The task contract on a real SQLite file, plus what only the single-node backend does (the directory lock, orphan recovery).</summary>
public sealed class SqliteTaskQueueTests : TaskQueueContract, IDisposable
{
    private readonly TempDirectory _dir = new();
    private SqliteBackend _sqlite = null!;

    protected override Task<TaskBackend> OpenAsync()
    {
        _sqlite = SqliteBackend.Open(_dir.Path, Options, Time);
        var opened = _sqlite;
        return Task.FromResult(new TaskBackend(opened.Store, opened.Queue, opened.Signals, opened.DisposeAsync));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CreateAsync_CommitsRowToDisk_WhenItReturns()
    {
        var id = await SubmitAsync();
        // A separate connection (as another process would open) sees the committed row.
        using var other = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "reframe.db")};Mode=ReadOnly;Pooling=False");
        other.Open();
        using var cmd = other.CreateCommand();
        cmd.CommandText = "SELECT status FROM tasks WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id.ToString());
        Assert.Equal(0L, cmd.ExecuteScalar());
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    [Fact]
    public async Task Open_AddsTheIdempotencyColumns_ToAFileFromAnEarlierVersion()
    {
        using var empty = new TempDirectory();
        using (var old = new SqliteConnection($"Data Source={Path.Combine(empty.Path, "reframe.db")};Pooling=False"))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            // The tasks table as the first release created it (no idempotency_key, request_hash).
            cmd.CommandText = """
                CREATE TABLE tasks (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, owner_id TEXT NOT NULL,
                    status INTEGER NOT NULL, request_json TEXT NOT NULL, seed INTEGER NOT NULL, created_at INTEGER NOT NULL,
                    started_at INTEGER, ended_at INTEGER, expires_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, lease_token TEXT,
                    lease_owner TEXT, lease_expires_at INTEGER, cancel_requested INTEGER NOT NULL DEFAULT 0, progress_json TEXT,
                    result_json TEXT, file_token TEXT, error_name TEXT, error_message TEXT);
                INSERT INTO tasks (id, owner_id, status, request_json, seed, created_at) VALUES ('0b4e7c1e-5b7a-4d7e-9f0a-1c2d3e4f5a6b', 'o', 0, '{}', 1, 0);
                """;
            cmd.ExecuteNonQuery();
        }
        await using var upgraded = SqliteBackend.Open(empty.Path, Options, Time);
        Assert.Single((await upgraded.Store.ListAsync("o", new TaskListQuery(10, null, null), CancellationToken.None)).Tasks);
        var id = Guid.NewGuid();
        Assert.Null(await upgraded.Store.CreateAsync(new NewGenerationTask(id, "o", "{}", 1) { IdempotencyKey = "k", RequestHash = "h" }, CancellationToken.None));
        Assert.Equal(id, (await upgraded.Store.FindByIdempotencyKeyAsync("o", "k", CancellationToken.None))!.TaskId);
    }

    [Fact]
    public async Task Open_RecoversTasksLeftRunning_WhenThePreviousProcessDied()
    {
        var id = await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(id, lease.TaskId);
        await _sqlite.DisposeAsync(); // as if the process were gone; its lease has not expired

        _sqlite = SqliteBackend.Open(_dir.Path, Options, Time);
        Assert.Equal(1, _sqlite.OrphansRecovered);
        var again = (await _sqlite.Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal((id, 2), (again.TaskId, again.Attempt));
        Assert.Equal(LeaseState.Lost, await _sqlite.Queue.CompleteAsync(lease, SomeResult(), CancellationToken.None));
    }

    [Fact]
    public void Open_Throws_WhenAnotherBackendHoldsTheDirectory()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => SqliteBackend.Open(_dir.Path, Options, Time));
        Assert.Contains("Another Reframe process", ex.Message, StringComparison.Ordinal);
    }

    public override async Task DisposeAsync() => await _sqlite.DisposeAsync();
}
