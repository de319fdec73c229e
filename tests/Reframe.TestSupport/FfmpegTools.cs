using System.Diagnostics;

namespace Reframe.TestSupport;

/// <summary>
/// Locates ffmpeg/ffprobe (<c>REFRAME_FFMPEG</c>/<c>REFRAME_FFPROBE</c>, else PATH) and runs them with argument
/// lists, failing with ffmpeg's own stderr.
/// </summary>
public static class FfmpegTools
{
    private static readonly Lazy<string> FfmpegPath = new(() => Locate("ffmpeg", "REFRAME_FFMPEG"));
    private static readonly Lazy<string> FfprobePath = new(() => Locate("ffprobe", "REFRAME_FFPROBE"));

    public static string FfmpegExecutable => FfmpegPath.Value;
    public static string FfprobeExecutable => FfprobePath.Value;

    /// <summary>Whether ffmpeg is installed (tests that need it can say so instead of failing obscurely).</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                return File.Exists(FfmpegExecutable);
            }
            catch (FileNotFoundException)
            {
                return false;
            }
        }
    }

    /// <summary>Runs ffmpeg quietly (<c>-nostdin -hide_banner -loglevel error -y</c> prepended).</summary>
    public static void Run(IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        RunTool(FfmpegExecutable, ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. arguments], timeout);

    /// <summary>Runs ffprobe and returns its stdout.</summary>
    public static string Probe(IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        RunTool(FfprobeExecutable, ["-hide_banner", "-loglevel", "error", .. arguments], timeout);

    /// <summary>Decodes a file through a video filter and returns ffmpeg's info-level log (e.g. cropdetect's lines).</summary>
    public static string ProbeFilterLog(string path, string filter, TimeSpan? timeout = null) =>
        RunTool(FfmpegExecutable, ["-nostdin", "-hide_banner", "-loglevel", "info", "-i", path, "-vf", filter, "-f", "null", "-"],
            timeout, returnStandardError: true);

    private static string RunTool(string executable, IEnumerable<string> arguments, TimeSpan? timeout, bool returnStandardError = false)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(executable)} {string.Join(' ', start.ArgumentList)} timed out.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(executable)} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {stderr.Result}");
        }
        return returnStandardError ? stderr.Result : stdout.Result;
    }

    private static string Locate(string name, string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"{variable}={configured} does not exist.");
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{name} is not on PATH; run scripts/setup.sh (or set {variable}).");
    }
}
