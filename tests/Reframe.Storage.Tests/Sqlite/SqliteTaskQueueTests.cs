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
