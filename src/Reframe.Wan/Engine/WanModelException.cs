namespace Reframe.Wan.Engine;

/// <summary>
/// The model folder cannot be served: every missing file and every file whose keys or shapes are wrong, in one
/// message (one item per line), raised at start-up so that the service stops instead of failing its first task.
/// </summary>
public sealed class WanModelException : Exception
{
    public WanModelException(string modelDirectory, IReadOnlyList<string> problems)
        : base($"The Wan model folder '{modelDirectory}' cannot be used (expected the alibaba-pai/Wan2.2-VACE-Fun-A14B layout):"
               + string.Concat(problems.Select(p => "\n  - " + p)))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
