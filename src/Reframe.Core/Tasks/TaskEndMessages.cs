using System.Globalization;

namespace Reframe.Core.Tasks;

/// <summary>
/// The messages of the errors the queue itself ends a task with, so that every backend and the worker tell a client
/// the same thing (the names are <see cref="Engines.TaskErrorNames"/>).
/// </summary>
public static class TaskEndMessages
{
    public const string CancelledBeforeStart = "The task was cancelled at the client's request before it started.";

    public const string CancelledWhileRunning = "The task was cancelled at the client's request while it was running.";

    public static string AttemptsExhausted(int maxAttempts) => string.Create(CultureInfo.InvariantCulture,
        $"The task was started {maxAttempts} times and the worker running it stopped each time (the process was killed, ran out of memory or lost its lease). It will not be retried; try a smaller input or fewer frames.");
}
