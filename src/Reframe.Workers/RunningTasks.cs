using System.Collections.Concurrent;
using Reframe.Core.Tasks;

namespace Reframe.Workers;

/// <summary>
/// The tasks this process is running, so a cancel reaches its worker at once: the store signals a cancel asked on
/// any node (<see cref="ITaskSignals"/>) and the task's token fires. The store's cancel flag is the durable path
/// (seen at the next lease renewal); the signal is the fast one.
/// </summary>
public sealed class RunningTasks : IDisposable
{
    private readonly ConcurrentDictionary<Guid, RunningTask> _running = new();
    private readonly IDisposable? _subscription;

    public RunningTasks()
    {
    }

    public RunningTasks(ITaskSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        _subscription = signals.Subscribe(s =>
        {
            if (s.Kind == TaskSignalKind.CancelRequested)
            {
                RequestCancel(s.TaskId);
            }
        });
    }

    public void Dispose() => _subscription?.Dispose();

    public int Count => _running.Count;

    public RunningTask Register(Guid taskId, CancellationToken stopping)
    {
        var running = new RunningTask(CancellationTokenSource.CreateLinkedTokenSource(stopping));
        _running[taskId] = running;
        return running;
    }

    public void Unregister(Guid taskId)
    {
        if (_running.TryRemove(taskId, out var running))
        {
            running.Cancellation.Dispose();
        }
    }

    public void RequestCancel(Guid taskId)
    {
        if (_running.TryGetValue(taskId, out var running))
        {
            running.Cancel(RunningTask.StopReason.ClientCancelled);
        }
    }
}

/// <summary>One running task's cancellation, with the reason it was stopped.</summary>
public sealed class RunningTask
{
    public enum StopReason { None, ClientCancelled, LeaseLost, TimedOut }

    private int _reason;

    public RunningTask(CancellationTokenSource cancellation) => Cancellation = cancellation;

    public CancellationTokenSource Cancellation { get; }

    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    public void Cancel(StopReason reason)
    {
        // The first reason wins: a task cancelled by its client and then timing out was cancelled.
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
        {
            try
            {
                Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The task finished between the lookup and the cancel.
            }
        }
    }
}
