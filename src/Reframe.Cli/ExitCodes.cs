namespace Reframe.Cli;

/// <summary>The exit codes of every command (listed in docs/client.md), stable for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The generation ended in <c>error</c> (its name and message are printed).</summary>
    public const int GenerationFailed = 1;
    /// <summary>Bad command line or bad input (including the server's 400 and 413).</summary>
    public const int Usage = 2;
    /// <summary>The key was refused (401/403) or is missing.</summary>
    public const int Auth = 3;
    /// <summary>The server could not be reached, or answered 5xx.</summary>
    public const int Unavailable = 4;
    /// <summary>Another HTTP refusal: 404 unknown id, 409 already ended, 429 limits.</summary>
    public const int Refused = 5;
    /// <summary>Interrupted (Ctrl+C) while waiting.</summary>
    public const int Interrupted = 130;
}
