namespace Reframe.Media.Ffmpeg;

/// <summary>An ffmpeg/ffprobe process failed: carries what ran, how it ended and the end of what it said.</summary>
public sealed class FfmpegException : Exception
{
    public FfmpegException(string message, IReadOnlyList<string> arguments, int? exitCode, string stderrTail, Exception? inner = null)
        : base(Compose(message, arguments, exitCode, stderrTail), inner)
    {
        Arguments = arguments;
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    /// <summary>argv, executable first.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The exit code, or null when the process never exited on its own (killed, failed to start).</summary>
    public int? ExitCode { get; }

    public string StderrTail { get; }

    private static string Compose(string message, IReadOnlyList<string> arguments, int? exitCode, string stderrTail)
    {
        var code = exitCode is { } c ? $"exit code {c}" : "no exit code";
        var tail = string.IsNullOrWhiteSpace(stderrTail) ? "" : $"; stderr tail: {LastLines(stderrTail, 6)}";
        return $"{message} ({code}; argv: {string.Join(' ', arguments)}){tail}";
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - count)));
    }
}
