using Microsoft.Extensions.Time.Testing;
using Reframe.Core.Engines;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Tests.Contracts;

/// <summary>
/// What every task store and queue must do, run unchanged against each implementation (SQLite, PostgreSQL): a
/// subclass only says how to open a backend. Time is driven by a FakeTimeProvider, which every backend takes its
/// clock from, so leases expire on command.
/// </summary>
public abstract partial class TaskQueueContract : IAsyncLifetime
{
    protected static readonly TaskQueueOptions Options = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(30), MaxAttempts = 3, Retention = TimeSpan.FromHours(1),
    };

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private TaskBackend _backend = null!;

    /// <summary>Opens a fresh, empty backend on <see cref="Time"/>.</summary>
    protected abstract Task<TaskBackend> OpenAsync();

    public async Task InitializeAsync() => _backend = await OpenAsync();

    public virtual async Task DisposeAsync() => await _backend.DisposeAsync();

    protected ITaskStore Store => _backend.Store;
    protected ITaskQueue Queue => _backend.Queue;
    protected ITaskSignals Signals => _backend.Signals;

    protected async Task<Guid> SubmitAsync(string owner = "owner-a")
    {
        var id = Guid.NewGuid();
        await Store.CreateAsync(new NewGenerationTask(id, owner, "{\"video_url\":\"x\"}", 42), CancellationToken.None);
        return id;
    }

    protected static TaskResult SomeResult(string? token = "tok") =>
        new(token, null, "video/mp4", 1234, 832, 480, 16, 17, 17 / 16.0, 106_250, "classic", null, "a prompt");

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
        Time.Advance(TimeSpan.FromSeconds(31));
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
            Time.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
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
            Time.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(LeaseState.Held, await Queue.RenewAsync(lease, new TaskProgress("generating", i, 5, i * 20), CancellationToken.None));
            Assert.Equal(0, await Queue.RecoverExpiredLeasesAsync(CancellationToken.None));
        }
        var task = (await Store.FindAsync(id, "owner-a", CancellationToken.None))!;
        Assert.Equal(GenerationTaskStatus.Generating, task.Status);
        Assert.Equal(new TaskProgress("generating", 4, 5, 80), task.Progress);
    }

    [Fact]
    public async Task FindAsync_ShowsEachChange_OnTheNextPoll_WhenTheSamePollRepeats()
    {
        // Polls are answered from snapshots where a backend can (SQLite keeps queued and generating ones): each write
        // must be visible to the very next poll, never a cached answer from before it.
        var first = await SubmitAsync();
        var second = await SubmitAsync();
        async Task<GenerationTask> PollAsync(Guid id)
        {
            var a = (await Store.FindAsync(id, "owner-a", CancellationToken.None))!;
            var b = (await Store.FindAsync(id, "owner-a", CancellationToken.None))!;
            Assert.Equal(a, b);
            return b;
        }

        Assert.Equal((GenerationTaskStatus.Queued, 1L), ((await PollAsync(second)).Status, (await PollAsync(second)).QueuePosition));
        Assert.Equal(GenerationTaskStatus.Queued, (await PollAsync(first)).Status);

        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(first, lease.TaskId);
        Assert.Equal(GenerationTaskStatus.Generating, (await PollAsync(first)).Status);
        Assert.Equal(0L, (await PollAsync(second)).QueuePosition); // moved up by a write to another task

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(LeaseState.Held, await Queue.RenewAsync(lease, new TaskProgress("generating", i, 3, i * 30), CancellationToken.None));
            Assert.Equal(new TaskProgress("generating", i, 3, i * 30), (await PollAsync(first)).Progress);
        }

        Assert.Equal(CancelOutcome.CancelRequested, await Store.RequestCancelAsync(first, "owner-a", CancellationToken.None));
        Assert.True((await PollAsync(first)).CancelRequested);
        await Queue.FailAsync(lease, new TaskError(TaskErrorNames.Cancelled, "cancelled"), CancellationToken.None);
        Assert.Equal(GenerationTaskStatus.Error, (await PollAsync(first)).Status);

        Assert.Equal(CancelOutcome.CancelledWhileQueued, await Store.RequestCancelAsync(second, "owner-a", CancellationToken.None));
        Assert.Equal(GenerationTaskStatus.Error, (await PollAsync(second)).Status);
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

        Time.Advance(Options.Retention + TimeSpan.FromSeconds(1));
        Assert.Null(await Store.FindAsync(done, "owner-a", CancellationToken.None)); // expired reads as gone at once
        Assert.Equal(["file-token"], await Store.PurgeExpiredAsync(CancellationToken.None));
        Assert.Null(await Store.FindAsync(id, "owner-a", CancellationToken.None));
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

    [Fact]
    public async Task CountActiveAsync_CountsQueuedAndGeneratingTasksOfThatOwnerOnly()
    {
        await SubmitAsync("owner-a");
        await SubmitAsync("owner-a");
        await SubmitAsync("owner-b");
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(2, await Store.CountActiveAsync("owner-a", CancellationToken.None));
        await Queue.CompleteAsync(lease, SomeResult(), CancellationToken.None);
        Assert.Equal(1, await Store.CountActiveAsync("owner-a", CancellationToken.None));
        Assert.Equal(1, await Store.CountActiveAsync("owner-b", CancellationToken.None));
        Assert.Equal(0, await Store.CountActiveAsync("owner-c", CancellationToken.None));
    }

    [Fact]
    public async Task ReferencedFileTokensAsync_NamesOnlyTokensATaskHolds()
    {
        await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        await Queue.CompleteAsync(lease, SomeResult("kept"), CancellationToken.None);
        var referenced = await Store.ReferencedFileTokensAsync(["kept", "orphan"], CancellationToken.None);
        Assert.Equal(["kept"], referenced.Order());
        Assert.Empty(await Store.ReferencedFileTokensAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task ActiveTaskIdsAsync_NamesQueuedAndGeneratingTasksOnly()
    {
        var queued = await SubmitAsync();
        var running = await SubmitAsync();
        var done = await SubmitAsync();
        Assert.Equal(CancelOutcome.CancelledWhileQueued, await Store.RequestCancelAsync(queued, "owner-a", CancellationToken.None));
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(running, lease.TaskId);
        var finished = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        await Queue.CompleteAsync(finished, SomeResult(), CancellationToken.None);
        var waiting = await SubmitAsync();
        var active = await Store.ActiveTaskIdsAsync([queued, running, done, waiting, Guid.NewGuid()], CancellationToken.None);
        Assert.Equal(new HashSet<Guid> { running, waiting }, active.ToHashSet());
        Assert.Empty(await Store.ActiveTaskIdsAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task Signals_AnnounceQueueingChangesAndCancels()
    {
        var seen = new List<TaskSignal>();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Signals.Subscribe(s =>
        {
            lock (seen)
            {
                seen.Add(s);
            }
            if (s.Kind == TaskSignalKind.CancelRequested)
            {
                cancelled.TrySetResult();
            }
        });
        var id = await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        Assert.Equal(LeaseState.Held, await Queue.RenewAsync(lease, new TaskProgress("generating", 1, 2, 50), CancellationToken.None));
        Assert.Equal(CancelOutcome.CancelRequested, await Store.RequestCancelAsync(id, "owner-a", CancellationToken.None));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() =>
        {
            lock (seen)
            {
                return seen.Any(s => s.Kind == TaskSignalKind.Queued) && seen.Count(s => s.Kind == TaskSignalKind.Changed && s.TaskId == id) >= 3;
            }
        });
        lock (seen)
        {
            Assert.Contains(seen, s => s.Kind == TaskSignalKind.CancelRequested && s.TaskId == id);
        }
    }

    [Fact]
    public async Task Signals_StopAfterTheSubscriptionIsDisposed()
    {
        var count = 0;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = Signals.Subscribe(_ =>
        {
            Interlocked.Increment(ref count);
            first.TrySetResult();
        });
        await SubmitAsync();
        await first.Task.WaitAsync(TimeSpan.FromSeconds(10));
        subscription.Dispose();
        var before = Volatile.Read(ref count);
        await SubmitAsync();
        await Task.Delay(300);
        Assert.Equal(before, Volatile.Read(ref count));
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true within 10 s");
            await Task.Delay(20);
        }
    }
}

/// <summary>An opened backend under test: its ports and how to close it.</summary>
public sealed record TaskBackend(ITaskStore Store, ITaskQueue Queue, ITaskSignals Signals, Func<ValueTask> Close) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Close();
}
