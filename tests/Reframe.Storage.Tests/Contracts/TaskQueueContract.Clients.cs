using Reframe.Core.Engines;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Tests.Contracts;

/// <summary>
/// The clients' side added for issue 14 (history, delete, idempotency keys) and the forward-only progress, run against
/// every backend like the rest of the contract.
/// </summary>
public abstract partial class TaskQueueContract
{
    private async Task<Guid> SubmitKeyedAsync(string owner, string key, string hash)
    {
        var id = Guid.NewGuid();
        var existing = await Store.CreateAsync(new NewGenerationTask(id, owner, "{\"video_url\":\"x\"}", 42) { IdempotencyKey = key, RequestHash = hash },
            CancellationToken.None);
        return existing?.TaskId ?? id;
    }

    private async Task<Guid> FinishNextAsync(string token)
    {
        var lease = await Queue.TryLeaseAsync("w", CancellationToken.None);
        Assert.Equal(LeaseState.Held, await Queue.CompleteAsync(lease!, SomeResult(token), CancellationToken.None));
        return lease!.TaskId;
    }

    [Fact]
    public async Task ListAsync_PagesTheOwnersTasksNewestFirst_AndNeverAnotherOwners()
    {
        var mine = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add(await SubmitAsync("owner-a"));
            await SubmitAsync("owner-b");
        }
        var seen = new List<Guid>();
        long? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync("owner-a", new TaskListQuery(2, cursor, null), CancellationToken.None);
            Assert.InRange(page.Tasks.Count, 1, 2);
            Assert.All(page.Tasks, t => Assert.Equal("owner-a", t.OwnerId));
            seen.AddRange(page.Tasks.Select(t => t.Id));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(mine), seen);
        Assert.Empty((await Store.ListAsync("owner-c", new TaskListQuery(10, null, null), CancellationToken.None)).Tasks);
        // Queued tasks carry their position, as FindAsync reports it.
        var newest = (await Store.ListAsync("owner-a", new TaskListQuery(1, null, null), CancellationToken.None)).Tasks[0];
        Assert.Equal((await Store.FindAsync(newest.Id, "owner-a", CancellationToken.None))!.QueuePosition, newest.QueuePosition);
    }

    [Fact]
    public async Task ListAsync_FiltersByStatus_AndLeavesOutExpiredTasks()
    {
        var done = await SubmitAsync();
        var queued = await SubmitAsync();
        Assert.Equal(done, await FinishNextAsync("t1"));

        var completed = await Store.ListAsync("owner-a", new TaskListQuery(10, null, GenerationTaskStatus.Completed), CancellationToken.None);
        Assert.Equal([done], completed.Tasks.Select(t => t.Id));
        Assert.NotNull(completed.Tasks[0].Result);
        Assert.NotNull(completed.Tasks[0].ExpiresAt);
        var waiting = await Store.ListAsync("owner-a", new TaskListQuery(10, null, GenerationTaskStatus.Queued), CancellationToken.None);
        Assert.Equal([queued], waiting.Tasks.Select(t => t.Id));
        Assert.Null(waiting.Next);

        Time.Advance(Options.Retention + TimeSpan.FromSeconds(1));
        Assert.Equal([queued], (await Store.ListAsync("owner-a", new TaskListQuery(10, null, null), CancellationToken.None)).Tasks.Select(t => t.Id));
    }

    [Fact]
    public async Task DeleteFinishedAsync_DeletesOnlyTheOwnersFinishedTask_AndReturnsItsFile()
    {
        var done = await SubmitAsync();
        var running = await SubmitAsync();
        Assert.Equal(done, await FinishNextAsync("the-file"));
        Assert.NotNull(await Store.FindAsync(done, "owner-a", CancellationToken.None)); // cached as final, too

        Assert.Equal(new DeleteOutcome(false, false, null), await Store.DeleteFinishedAsync(done, "owner-b", CancellationToken.None));
        Assert.Equal(new DeleteOutcome(true, false, null), await Store.DeleteFinishedAsync(running, "owner-a", CancellationToken.None));
        Assert.Equal(new DeleteOutcome(true, true, "the-file"), await Store.DeleteFinishedAsync(done, "owner-a", CancellationToken.None));

        Assert.Null(await Store.FindAsync(done, "owner-a", CancellationToken.None));
        Assert.Equal(new DeleteOutcome(false, false, null), await Store.DeleteFinishedAsync(done, "owner-a", CancellationToken.None));
        Assert.Empty(await Store.ReferencedFileTokensAsync(["the-file"], CancellationToken.None));
        Assert.NotNull(await Store.FindAsync(running, "owner-a", CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_ReturnsTheEarlierTask_WhenTheOwnerRepeatsAnIdempotencyKey()
    {
        var first = await SubmitKeyedAsync("owner-a", "key-1", "hash-1");
        var again = await Store.CreateAsync(new NewGenerationTask(Guid.NewGuid(), "owner-a", "{}", 1) { IdempotencyKey = "key-1", RequestHash = "hash-2" },
            CancellationToken.None);
        Assert.Equal(new IdempotentSubmission(first, "hash-1"), again);
        Assert.Equal(new IdempotentSubmission(first, "hash-1"), await Store.FindByIdempotencyKeyAsync("owner-a", "key-1", CancellationToken.None));
        // Scoped per owner: another owner's identical key is a new task.
        var other = await SubmitKeyedAsync("owner-b", "key-1", "hash-1");
        Assert.NotEqual(first, other);
        Assert.Null(await Store.FindByIdempotencyKeyAsync("owner-c", "key-1", CancellationToken.None));
        Assert.Equal(2, (await Store.ListAsync("owner-a", new TaskListQuery(10, null, null), CancellationToken.None)).Tasks.Count
                        + (await Store.ListAsync("owner-b", new TaskListQuery(10, null, null), CancellationToken.None)).Tasks.Count);
    }

    [Fact]
    public async Task CreateAsync_CreatesOneTask_WhenManySubmissionsRaceWithOneKey()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => SubmitKeyedAsync("owner-a", "racy", "h"))));
        Assert.Single(ids.Distinct());
        Assert.Single((await Store.ListAsync("owner-a", new TaskListQuery(100, null, null), CancellationToken.None)).Tasks);
    }

    [Fact]
    public async Task IdempotencyKey_IsReleased_WhenItsTaskExpiresOrIsDeleted()
    {
        var first = await SubmitKeyedAsync("owner-a", "k", "h");
        await FinishNextAsync("f1");
        Time.Advance(Options.Retention + TimeSpan.FromSeconds(1));
        Assert.Null(await Store.FindByIdempotencyKeyAsync("owner-a", "k", CancellationToken.None));
        var second = await SubmitKeyedAsync("owner-a", "k", "h"); // before the purge has run
        Assert.NotEqual(first, second);

        Assert.Equal(second, await FinishNextAsync("f2"));
        Assert.True((await Store.DeleteFinishedAsync(second, "owner-a", CancellationToken.None)).Finished);
        var third = await SubmitKeyedAsync("owner-a", "k", "h");
        Assert.NotEqual(second, third);
    }

    [Fact]
    public async Task RenewAsync_NeverMovesProgressBackwards_EvenAcrossARetry()
    {
        await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        await Queue.RenewAsync(lease, new TaskProgress("encoding", 1, 1, 100), CancellationToken.None);
        await Queue.RenewAsync(lease, new TaskProgress("interpolating", 0, 1, 96), CancellationToken.None);
        Assert.Equal(100, (await Store.FindAsync(lease.TaskId, "owner-a", CancellationToken.None))!.Progress!.Percent);

        // Handed back and taken again: the new attempt starts from 0 but the task's progress holds until it passes.
        Assert.Equal(LeaseState.Held, await Queue.ReleaseAsync(lease, CancellationToken.None));
        var retry = (await Queue.TryLeaseAsync("w2", CancellationToken.None))!;
        await Queue.RenewAsync(retry, new TaskProgress("downloading", 0, 0, 0), CancellationToken.None);
        Assert.Equal(new TaskProgress("encoding", 1, 1, 100), (await Store.FindAsync(retry.TaskId, "owner-a", CancellationToken.None))!.Progress);
    }

    [Fact]
    public async Task RenewAsync_StoresEqualOrHigherProgress()
    {
        await SubmitAsync();
        var lease = (await Queue.TryLeaseAsync("w", CancellationToken.None))!;
        await Queue.RenewAsync(lease, new TaskProgress("generating", 5, 10, 50), CancellationToken.None);
        await Queue.RenewAsync(lease, new TaskProgress("interpolating", 0, 1, 50), CancellationToken.None);
        Assert.Equal("interpolating", (await Store.FindAsync(lease.TaskId, "owner-a", CancellationToken.None))!.Progress!.Stage);
        await Queue.RenewAsync(lease, new TaskProgress("encoding", 0, 1, 97), CancellationToken.None);
        Assert.Equal(97, (await Store.FindAsync(lease.TaskId, "owner-a", CancellationToken.None))!.Progress!.Percent);
    }

    [Fact]
    public async Task CountByStatusAsync_CountsEveryOwnersTasksPerStatus_UntilTheyExpire()
    {
        await SubmitAsync("owner-a");
        await SubmitAsync("owner-b");
        await SubmitAsync("owner-b");
        await FinishNextAsync("c");
        await Queue.TryLeaseAsync("w", CancellationToken.None);
        var counts = await Store.CountByStatusAsync(CancellationToken.None);
        Assert.Equal((1L, 1L, 1L, 0L), (counts[GenerationTaskStatus.Queued], counts[GenerationTaskStatus.Generating],
            counts[GenerationTaskStatus.Completed], counts[GenerationTaskStatus.Error]));
        await SubmitAsync("owner-c");
        Time.Advance(Options.Retention + TimeSpan.FromSeconds(1));
        counts = await Store.CountByStatusAsync(CancellationToken.None);
        Assert.Equal((2L, 0L), (counts[GenerationTaskStatus.Queued], counts[GenerationTaskStatus.Completed]));
    }
}
