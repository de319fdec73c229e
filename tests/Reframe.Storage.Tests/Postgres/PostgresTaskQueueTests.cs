using Reframe.Core.Configuration;
using Npgsql;
using Reframe.Core.Tasks;
using Reframe.Storage.Postgres;
using Reframe.Storage.Tests.Contracts;

namespace Reframe.Storage.Tests.Postgres;

/// <summary>
/// The task contract on a real PostgreSQL, plus what only the shared backend must do: several nodes (each its own
/// backend and connection pool, as separate processes would have) migrating at once, claiming from one queue without
/// sharing a task, and hearing each other's changes through LISTEN/NOTIFY.
/// </summary>
public sealed class PostgresTaskQueueTests : TaskQueueContract
{
    private string _url = null!;
    private readonly List<PostgresBackend> _nodes = [];

    protected override async Task<TaskBackend> OpenAsync()
    {
        _url = await PostgresFixture.NewDatabaseUrlAsync("queue");
        var node = await OpenNodeAsync();
        return new TaskBackend(node.Store, node.Queue, node.Signals, () => ValueTask.CompletedTask);
    }

    private async Task<PostgresBackend> OpenNodeAsync()
    {
        var node = await PostgresBackend.OpenAsync(_url, Options, Time, null, CancellationToken.None);
        lock (_nodes)
        {
            _nodes.Add(node);
        }
        return node;
    }

    public override async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenAsync_MigratesOnce_WhenEightNodesStartAtOnce()
    {
        var url = await PostgresFixture.NewDatabaseUrlAsync("migrate");
        var nodes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            PostgresBackend.OpenAsync(url, Options, Time, null, CancellationToken.None))));
        try
        {
            Assert.All(nodes, n => Assert.Equal(PostgresSchema.LatestVersion, n.SchemaVersion));
            await using var cmd = nodes[0].DataSource.CreateCommand("SELECT COUNT(*), MAX(version) FROM reframe_schema_version");
            await using var r = await cmd.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync());
            Assert.Equal(PostgresSchema.LatestVersion, r.GetInt64(0));
            Assert.Equal(PostgresSchema.LatestVersion, r.GetInt32(1));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OpenAsync_Refuses_ASchemaNewerThanThisBuild()
    {
        var node = await OpenNodeAsync();
        await using (var cmd = node.DataSource.CreateCommand($"INSERT INTO reframe_schema_version (version) VALUES ({PostgresSchema.LatestVersion + 1})"))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresBackend.OpenAsync(_url, Options, Time, null, CancellationToken.None));
        Assert.Contains("newer than this build", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryLeaseAsync_GivesEachTaskToOneWorker_AcrossThreeNodes()
    {
        var nodes = new[] { await OpenNodeAsync(), await OpenNodeAsync(), await OpenNodeAsync() };
        for (var i = 0; i < 60; i++)
        {
            await SubmitAsync();
        }
        var leases = await Task.WhenAll(Enumerable.Range(0, 90).Select(i => Task.Run(() =>
            nodes[i % 3].Queue.TryLeaseAsync($"node{i % 3}/w{i}", CancellationToken.None))));
        var taken = leases.Where(l => l is not null).Select(l => l!.TaskId).ToList();
        Assert.Equal(60, taken.Count);
        Assert.Equal(60, taken.Distinct().Count());
    }

    [Fact]
    public async Task DeleteOnOneNode_RemovesTheTaskFromAnotherNodesCache()
    {
        var a = await OpenNodeAsync();
        var b = await OpenNodeAsync();
        var id = await SubmitAsync();
        var lease = await a.Queue.TryLeaseAsync("w", CancellationToken.None);
        await a.Queue.CompleteAsync(lease!, SomeResult("gone"), CancellationToken.None);
        Assert.NotNull(await b.Store.FindAsync(id, "owner-a", CancellationToken.None)); // now in b's snapshot cache

        Assert.True((await a.Store.DeleteFinishedAsync(id, "owner-a", CancellationToken.None)).Finished);

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (await b.Store.FindAsync(id, "owner-a", CancellationToken.None) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "node b still serves the deleted task from its cache");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task CancelOnOneNode_IsHeardByAnother_ByNotification_NotAtTheNextCheck()
    {
        var apiNode = await OpenNodeAsync();
        var workerNode = await OpenNodeAsync();
        var heard = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = workerNode.Signals.Subscribe(s =>
        {
            if (s.Kind == TaskSignalKind.CancelRequested)
            {
                heard.TrySetResult(s.TaskId);
            }
        });
        var id = await SubmitAsync();
        var lease = (await workerNode.Queue.TryLeaseAsync("worker", CancellationToken.None))!;
        Assert.Equal(CancelOutcome.CancelRequested, await apiNode.Store.RequestCancelAsync(id, "owner-a", CancellationToken.None));
        // NOTIFY is heard within milliseconds; the only other path is the listener's 15 s check, so 5 s tells them
        // apart with room for a busy 2-core machine.
        Assert.Equal(id, await heard.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(LeaseState.CancelRequested, await workerNode.Queue.RenewAsync(lease, null, CancellationToken.None));
    }

    [Fact]
    public async Task Signals_Resync_AfterTheNotificationConnectionIsKilled()
    {
        var node = await OpenNodeAsync();
        var resync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = node.Signals.Subscribe(s =>
        {
            if (s.Kind == TaskSignalKind.Resync)
            {
                resync.TrySetResult();
            }
        });
        // Kill every LISTEN session of the database from outside, as a server restart or a network cut would.
        await using (var cmd = node.DataSource.CreateCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        await resync.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // And it listens again: a new submission is heard.
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var again = node.Signals.Subscribe(s =>
        {
            if (s.Kind == TaskSignalKind.Queued)
            {
                queued.TrySetResult();
            }
        });
        await node.Store.CreateAsync(new NewGenerationTask(Guid.NewGuid(), "o", "{}", 1), CancellationToken.None);
        await queued.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ConnectionUrl_BecomesAnNpgsqlConnectionString()
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgresConnection.ToConnectionString("postgres://al%40ice:p%3Ass@db.internal:6543/reframe?sslmode=require&Timeout=7"));
        Assert.Equal(("db.internal", 6543, "al@ice", "p:ss", "reframe", SslMode.Require, 7),
            (parsed.Host, parsed.Port, parsed.Username, parsed.Password, parsed.Database, parsed.SslMode, parsed.Timeout));
        var socket = new NpgsqlConnectionStringBuilder(PostgresConnection.ToConnectionString("postgresql://me@/jobs?host=%2Frun%2Fpostgresql"));
        Assert.Equal(("/run/postgresql", "me", "jobs"), (socket.Host, socket.Username, socket.Database));
        Assert.Equal("Host=h;Database=d", PostgresConnection.ToConnectionString("Host=h;Database=d"));
        Assert.Throws<SettingException>(() => PostgresConnection.ToConnectionString("postgres://h/d?no_such_setting=1"));
    }
}
