namespace Reframe.Core.Tasks;

/// <summary>
/// The four statuses of the contract, and the only ones a task ever has. A cancelled task ends in
/// <see cref="Error"/> with the error name <c>cancelled</c>; an abandoned lease sends a task back to
/// <see cref="Queued"/>. The numeric values are persisted: never renumber them.
/// </summary>
public enum GenerationTaskStatus
{
    Queued = 0,
    Generating = 1,
    Completed = 2,
    Error = 3,
}
