using Reframe.Core.Tasks;

namespace Reframe.Workers;

/// <summary>
/// Wakes idle workers when a task is queued on any node (the store's <see cref="ITaskSignals"/>: in process for
/// SQLite, LISTEN/NOTIFY for PostgreSQL), so a new task starts at once instead of at the next poll. Workers still
/// poll slowly, so a lost notification costs at most one poll interval.
/// </summary>
public sealed class QueueSignal : IDisposable
{
    private readonly IDisposable? _subscription;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueueSignal()
    {
    }

    public QueueSignal(ITaskSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        _subscription = signals.Subscribe(s =>
        {
            if (s.Kind is TaskSignalKind.Queued or TaskSignalKind.Resync)
            {
                Notify();
            }
        });
    }

    public void Dispose() => _subscription?.Dispose();

    public Task WaitAsync() => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var fired = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        fired.TrySetResult();
    }
}
