using Reframe.Core.Engines;

namespace Reframe.Workers;

/// <summary>
/// Keeps only the newest progress report; the lease renewal writes it. Engines may report every denoising step
/// or every frame, and writing each one to the database would cost more than the step. A new stage is worth an
/// early write (a client polling a short task should still see it generate), so <see cref="StageChange"/> wakes
/// the writer; stages that follow each other faster than the writer runs are written as the newest only.
/// </summary>
public sealed class LatestProgress : IProgress<TaskProgress>
{
    private TaskProgress? _latest;
    private TaskProgress? _written;
    private TaskCompletionSource _stageChange = NewSignal();

    public void Report(TaskProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var previous = Interlocked.Exchange(ref _latest, value);
        if (!string.Equals(previous?.Stage, value.Stage, StringComparison.Ordinal))
        {
            Volatile.Read(ref _stageChange).TrySetResult();
        }
    }

    /// <summary>Completes when a report starts a stage that has not been taken by <see cref="TakeUnwritten"/> yet.</summary>
    public Task StageChange => Volatile.Read(ref _stageChange).Task;

    /// <summary>The newest report when it has not been written yet, else null.</summary>
    public TaskProgress? TakeUnwritten()
    {
        // A fresh signal before the read: a stage reported after it wakes the writer again instead of being missed.
        // (An interlocked exchange, so that the read of the report below cannot move before it.)
        if (Volatile.Read(ref _stageChange).Task.IsCompleted)
        {
            Interlocked.Exchange(ref _stageChange, NewSignal());
        }
        var latest = Volatile.Read(ref _latest);
        if (ReferenceEquals(latest, _written))
        {
            return null;
        }
        _written = latest;
        return latest;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
