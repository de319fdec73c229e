namespace Reframe.Core.Engines;

/// <summary>
/// A failure the user can act on, carrying one of <see cref="TaskErrorNames"/>. Anything else that escapes
/// a worker is reported as <see cref="TaskErrorNames.EngineFailure"/> with a generic message (the details go
/// to the log, not to the client).
/// </summary>
public sealed class ReframeFailure : Exception
{
    public ReframeFailure(string name, string message, Exception? inner = null) : base(message, inner)
    {
        Name = name;
    }

    public string Name { get; }
}
