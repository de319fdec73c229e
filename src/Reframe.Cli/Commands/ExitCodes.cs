namespace Reframe.Cli.Commands;

/// <summary>Process exit codes, shared by all commands (documented in each command's help).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad flags (System.CommandLine's own parse errors also exit with 1).</summary>
    public const int Usage = 1;

    /// <summary>The task failed with a named error (unsupported_media, too_many_frames...): the input or options need changing.</summary>
    public const int TaskFailed = 3;

    /// <summary>Something broke on our side (ffmpeg missing, engine fault).</summary>
    public const int InternalError = 4;

    /// <summary>The server refused the key (401/403), or none was given.</summary>
    public const int Auth = 5;

    /// <summary>The server could not be reached, or answered 5xx.</summary>
    public const int Unavailable = 6;

    /// <summary>The server refused the call otherwise: 404 unknown (or expired, or deleted) id, 429 limits.</summary>
    public const int Refused = 7;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
