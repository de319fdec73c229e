namespace Reframe.Server.Workers;

/// <summary>
/// Wakes idle workers when a task is submitted, so a new task starts at once instead of at the next poll.
/// Workers still poll (tasks can come back from expired leases), so a missed wake-up costs one poll interval.
/// </summary>
public sealed class QueueSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitAsync() => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var fired = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        fired.TrySetResult();
    }
}
