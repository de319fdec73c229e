namespace Reframe.Core.Tasks;

/// <summary>
/// Change notifications from the task store, so nobody polls tightly: idle workers wake when a task is queued,
/// event streams re-read a task when it changed, and the worker holding a task hears its cancel at once. The
/// store raises them itself when its writes commit (in process for SQLite; LISTEN/NOTIFY for PostgreSQL, so a
/// change on any node reaches every node). A notification may be lost (a dropped connection): listeners keep a
/// slow fallback poll, and a backend that reconnects raises <see cref="TaskSignalKind.Resync"/>.
/// </summary>
public interface ITaskSignals
{
    /// <summary>Calls <paramref name="handler"/> for every signal until disposed. Handlers run on the notifier's thread: keep them short.</summary>
    IDisposable Subscribe(Action<TaskSignal> handler);
}

public enum TaskSignalKind
{
    /// <summary>A task was queued, or came back to the queue: <see cref="TaskSignal.TaskId"/> may be empty.</summary>
    Queued,
    /// <summary>The task's status, progress or result changed.</summary>
    Changed,
    /// <summary>A cancel was asked while the task was generating: its worker must stop it.</summary>
    CancelRequested,
    /// <summary>Notifications may have been missed: re-read whatever you watch.</summary>
    Resync,
}

public readonly record struct TaskSignal(TaskSignalKind Kind, Guid TaskId);
