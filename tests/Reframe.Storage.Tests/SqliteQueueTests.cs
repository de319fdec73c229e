using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Reframe.Core.Engines;
using Reframe.Core.Tasks;
using Reframe.Storage.Sqlite;

namespace Reframe.Storage.Tests;

/// <summary>The lease queue on a real SQLite file, with time driven by a FakeTimeProvider.</summary>
public sealed class SqliteQueueTests : IAsyncLifetime, IDisposable
{
    private static readonly TaskQueueOptions Options = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(30), MaxAttempts = 3, Retention = TimeSpan.FromHours(1),
    };

    private readonly TempDataDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteBackend _backend = null!;

    public Task InitializeAsync()
    {
        _backend = SqliteBackend.Open(_dir.Path, Options, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private ITaskStore Store => _backend.Store;
    private ITaskQueue Queue => _backend.Queue;

    private async Task<Guid> SubmitAsync(string owner = "owner-a")
    {
        var id = Guid.NewGuid();
        await Store.CreateAsync(new NewGenerationTask(id, owner, "{\"video_url\":\"x\"}", 42), CancellationToken.None);
        return id;
    }

    private static TaskResult SomeResult(string? token = "tok") =>
        new(token, null, "video/mp4", 1234, 832, 480, 16, 17, 17 / 16.0, 106_250, "classic", null, "a prompt");

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
    public async Task FindAsync_ReturnsNull_WhenAnotherOwnerAsks()
    {
        var id = await SubmitAsync("owner-a");
        Assert.NotNull(await Store.FindAsync(id, "owner-a", CancellationToken.None));
        Assert.Null(await Store.FindAsync(id, "owner-b", CancellationToken.None));
        Assert.Equal(CancelOutcome.NotFound, await Store.RequestCancelAsync(id, "owner-b", CancellationToken.None));
    }

    [Fact]
    public async Task FindAsync_ReportsQueuePosition_InSubmissionOrder()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await SubmitAsync());
        }
        for (var i = 0; i < 4; i++)
        {
            var task = await Store.FindAsync(ids[i], "owner-a", CancellationToken.None);
            Assert.Equal(i, task!.QueuePosition);
        }
        var lease = await Queue.TryLeaseAsync("w", CancellationToken.None);
        Assert.Equal(ids[0], lease!.TaskId);
        Assert.Equal(0, (await Store.FindAsync(ids[1], "owner-a", CancellationToken.None))!.QueuePosition);
        Assert.Null((await Store.FindAsync(ids[0], "owner-a", CancellationToken.None))!.QueuePosition);
    }

    [Fact]
    public async Task TryLeaseAsync_GivesEachTaskToOneWorker_WhenManyWorkersPoll()
    {
        for (var i = 0; i < 50; i++)
        {
            await SubmitAsync();
        }
        var leases = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => Task.Run(() => Queue.TryLeaseAsync($"w{i}", CancellationToken.None))));
        var taken = leases.Where(l => l is not null).Select(l => l!.TaskId).ToList();
        Assert.Equal(50, taken.Count);
        Assert.Equal(50, taken.Distinct().Count());
    }

    [Fact]
    public async Task CompleteAsync_SucceedsOnce_AndRefusesAStaleLease()
    {
        var id = await SubmitAsync();
        var first = (await Queue.TryLeaseAsync("w1", CancellationToken.None))!;
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await Queue.RecoverExpiredLeasesAsync(CancellationToken.None));
        var second = (await Queue.TryLeaseAsync("w2", CancellationToken.None))!;
        Assert.Equal(id, second.TaskId);
        Assert.Equal(2, second.Attempt);

        // The first worker wakes up late: everything it writes is refused.
        Assert.Equal(LeaseState.Lost, await Queue.RenewAsync(first, null, CancellationToken.None));
        Assert.Equal(LeaseState.Lost, await Queue.CompleteAsync(first, SomeResult("stale"), CancellationToken.None));
        Assert.Equal(LeaseState.Held, await Queue.CompleteAsync(second, SomeResult("fresh"), CancellationToken.None));
        Assert.Equal(LeaseState.Lost, await Queue.CompleteAsync(second, SomeResult("again"), CancellationToken.None));

        var task = (await Store.FindAsync(id, "owner-a", CancellationToken.None))!;
        Assert.Equal(GenerationTaskStatus.Completed, task.Status);
        Assert.Equal("fresh", task.Result!.FileToken);
        Assert.Equal(106_250, task.Result.CreditsUsed);
    }

    [Fact]
    public async Task RecoverExpiredLeasesAsync_EndsTaskInAttemptsExhausted_AfterMaxAttempts()
    {
        var id = await SubmitAsync();
        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            var lease = await Queue.TryLeaseAsync("w", CancellationToken.None);
            Assert.Equal(attempt, lease!.Attempt);
            _time.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
            await Queue.RecoverExpiredLeasesAsync(CancellationToken.None);
        }
        Assert.Null(await Queue.TryLeaseAsync("w", CancellationToken.None));
        var task = (await Store.FindAsync(id, "owner-a", CancellationToken.None))!;
        Assert.Equal(GenerationTaskStatus.Error, task.Status);
        Assert.Equal(TaskErrorNames.AttemptsExhausted, task.Error!.Name);
        Assert.Contains("3 times", task.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewAsync_KeepsLeaseAlive_AndStoresProgress()
    {
        var id = await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(LeaseState.Held, await Queue.RenewAsync(lease, new TaskProgress("generating", i, 5, i * 20), CancellationToken.None));
            Assert.Equal(0, await Queue.RecoverExpiredLeasesAsync(CancellationToken.None));
        }
        var task = (await Store.FindAsync(id, "owner-a", CancellationToken.None))!;
        Assert.Equal(GenerationTaskStatus.Generating, task.Status);
        Assert.Equal(new TaskProgress("generating", 4, 5, 80), task.Progress);
    }

    [Fact]
    public async Task RequestCancelAsync_EndsQueuedTaskAtOnce_AndFlagsRunningOne()
    {
        var queued = await SubmitAsync();
        var running = await SubmitAsync();
        var other = await SubmitAsync();
        // Lease the "running" one: cancel the queued one first so the lease goes to the second.
        Assert.Equal(CancelOutcome.CancelledWhileQueued, await Store.RequestCancelAsync(queued, "owner-a", CancellationToken.None));
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(running, lease.TaskId);

        Assert.Equal(CancelOutcome.CancelRequested, await Store.RequestCancelAsync(running, "owner-a", CancellationToken.None));
        Assert.Equal(LeaseState.CancelRequested, await Queue.RenewAsync(lease, null, CancellationToken.None));
        // A result that races the cancel loses: the client was told 202.
        Assert.Equal(LeaseState.CancelRequested, await Queue.CompleteAsync(lease, SomeResult(), CancellationToken.None));

        var q = (await Store.FindAsync(queued, "owner-a", CancellationToken.None))!;
        var r = (await Store.FindAsync(running, "owner-a", CancellationToken.None))!;
        Assert.Equal((GenerationTaskStatus.Error, TaskErrorNames.Cancelled), (q.Status, q.Error!.Name));
        Assert.Equal((GenerationTaskStatus.Error, TaskErrorNames.Cancelled), (r.Status, r.Error!.Name));
        Assert.Equal(CancelOutcome.AlreadyEnded, await Store.RequestCancelAsync(queued, "owner-a", CancellationToken.None));
        Assert.Equal(GenerationTaskStatus.Queued, (await Store.FindAsync(other, "owner-a", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task ReleaseAsync_RequeuesWithoutCountingTheAttempt()
    {
        var id = await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(LeaseState.Held, await Queue.ReleaseAsync(lease, CancellationToken.None));
        var again = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(id, again.TaskId);
        Assert.Equal(1, again.Attempt);
    }

    [Fact]
    public async Task FailAsync_RecordsNamedError_AndPurgeDeletesAfterRetention()
    {
        var id = await SubmitAsync();
        var done = await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(LeaseState.Held, await Queue.FailAsync(lease, new TaskError(TaskErrorNames.UnsupportedMedia, "not a video"), CancellationToken.None));
        var lease2 = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(LeaseState.Held, await Queue.CompleteAsync(lease2, SomeResult("file-token"), CancellationToken.None));

        var failed = (await Store.FindAsync(id, "owner-a", CancellationToken.None))!;
        Assert.Equal(new TaskError(TaskErrorNames.UnsupportedMedia, "not a video"), failed.Error);
        Assert.Empty(await Store.PurgeExpiredAsync(CancellationToken.None));

        _time.Advance(Options.Retention + TimeSpan.FromSeconds(1));
        Assert.Null(await Store.FindAsync(done, "owner-a", CancellationToken.None)); // expired reads as gone at once
        Assert.Equal(["file-token"], await Store.PurgeExpiredAsync(CancellationToken.None));
        Assert.Null(await Store.FindAsync(id, "owner-a", CancellationToken.None));
    }

    [Fact]
    public async Task Open_RecoversTasksLeftRunning_WhenThePreviousProcessDied()
    {
        var id = await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(id, lease.TaskId);
        await _backend.DisposeAsync(); // as if the process were gone; its lease has not expired

        _backend = SqliteBackend.Open(_dir.Path, Options, _time);
        Assert.Equal(1, _backend.OrphansRecovered);
        var again = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal((id, 2), (again.TaskId, again.Attempt));
        Assert.Equal(LeaseState.Lost, await Queue.CompleteAsync(lease, SomeResult(), CancellationToken.None));
    }

    [Fact]
    public async Task Open_Throws_WhenAnotherBackendHoldsTheDirectory()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => SqliteBackend.Open(_dir.Path, Options, _time));
        Assert.Contains("Another Reframe process", ex.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task CreateAsync_CommitsEverySubmission_WhenManyArriveAtOnce()
    {
        var ids = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(ids.Select(id => Task.Run(() => Store.CreateAsync(new NewGenerationTask(id, "o", "{}", 1), CancellationToken.None))));
        Assert.Equal(500, await Queue.CountQueuedAsync(CancellationToken.None));
        foreach (var id in ids)
        {
            Assert.NotNull(await Store.FindAsync(id, "o", CancellationToken.None));
        }
    }

    [Fact]
    public void CanMove_AllowsOnlyTheDocumentedTransitions()
    {
        var all = Enum.GetValues<GenerationTaskStatus>();
        var allowed = all.SelectMany(f => all.Select(t => (f, t))).Where(p => TaskStateMachine.CanMove(p.f, p.t)).ToHashSet();
        Assert.Equal(
            new HashSet<(GenerationTaskStatus, GenerationTaskStatus)>
            {
                (GenerationTaskStatus.Queued, GenerationTaskStatus.Generating),
                (GenerationTaskStatus.Queued, GenerationTaskStatus.Error),
                (GenerationTaskStatus.Generating, GenerationTaskStatus.Queued),
                (GenerationTaskStatus.Generating, GenerationTaskStatus.Completed),
                (GenerationTaskStatus.Generating, GenerationTaskStatus.Error),
            },
            allowed);
    }
}
