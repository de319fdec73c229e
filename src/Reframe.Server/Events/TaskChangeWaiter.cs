using Reframe.Core.Tasks;

namespace Reframe.Server.Events;

/// <summary>
/// Lets one event stream sleep until its task may have changed: a signal naming the task, any queue movement while
/// the task is queued (its position moves when another task is taken), or a resync after lost notifications. The
/// store raises these on any node (LISTEN/NOTIFY with PostgreSQL), so a stream needs no tight polling; the caller
/// keeps a slow fallback re-read for notifications that never arrive.
/// </summary>
internal sealed class TaskChangeWaiter : IDisposable
{
    private readonly Guid _taskId;
    private readonly IDisposable _subscription;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _watchQueue = true;

    public TaskChangeWaiter(ITaskSignals signals, Guid taskId)
    {
        _taskId = taskId;
        _subscription = signals.Subscribe(OnSignal);
    }

    /// <summary>While the task is queued, any queue movement wakes the stream (its position may have changed).</summary>
    public bool WatchQueue { set => _watchQueue = value; }

    /// <summary>Completes at the next relevant signal after this call.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;

    /// <summary>Arms the next wait: signals from now on complete the task <see cref="NextAsync"/> returns.</summary>
    public void Rearm()
    {
        if (Volatile.Read(ref _next).Task.IsCompleted)
        {
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    private void OnSignal(TaskSignal signal)
    {
        if (signal.TaskId == _taskId || signal.Kind == TaskSignalKind.Resync || _watchQueue)
        {
            Volatile.Read(ref _next).TrySetResult();
        }
    }

    public void Dispose() => _subscription.Dispose();
}
