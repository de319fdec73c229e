namespace Reframe.Server.Configuration;

/// <summary>What one process runs (<c>REFRAME_ROLE</c>).</summary>
public enum ReframeRole
{
    /// <summary>The public API and the workers in one process: the embedded default.</summary>
    All,
    /// <summary>The public API (and webhook dispatch) only: never loads an engine. Needs a shared database.</summary>
    Api,
    /// <summary>Generation workers only: serves health and metrics, no public API. Needs a shared database.</summary>
    Worker,
}
