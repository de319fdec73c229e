namespace Reframe.Core.Tasks;

/// <summary>
/// The subscriber list behind every <see cref="ITaskSignals"/>: backends call <see cref="Publish"/> when their
/// writes commit (or a notification arrives). A throwing handler is isolated from the others.
/// </summary>
public sealed class TaskSignalHub : ITaskSignals
{
    private readonly Lock _gate = new();
    private Action<TaskSignal>[] _handlers = [];

    public IDisposable Subscribe(Action<TaskSignal> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }
        return new Subscription(this, handler);
    }

    public void Publish(TaskSignal signal)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(signal);
            }
#pragma warning disable CA1031 // one listener's bug must not silence the others
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private void Remove(Action<TaskSignal> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    private sealed class Subscription(TaskSignalHub hub, Action<TaskSignal> handler) : IDisposable
    {
        public void Dispose() => hub.Remove(handler);
    }
}
