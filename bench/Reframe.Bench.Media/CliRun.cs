using System.Diagnostics;

namespace Reframe.Bench.Media;

/// <summary>
/// <c>reframe run</c> as a user calls it: a fresh process per job, timed from launch to exit, so .NET start-up, JIT
/// and every ffmpeg launch are in the figure. The job is the benchmark's: 9:16 at 480p, CRF 18 (high), x264 medium
/// (balanced), bar detection on (the default).
/// </summary>
internal static class CliRun
{
    public static async Task<(double Seconds, long TreePeakKb)> RunAsync(string cli, string input, string output)
    {
        var info = new ProcessStartInfo(cli) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", "--input", input, "--output", output, "--aspect-ratio", "9:16", "--resolution", "480p",
            "--video-quality", "high", "--video-write-mode", "balanced", "--overwrite" })
        {
            info.ArgumentList.Add(a);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var memory = new ProcessTreeMemory();
        var watch = memory.WatchAsync(process.Id, () => process.HasExited);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        await watch;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{cli} run failed ({process.ExitCode}): {await stdout} {await stderr}");
        }
        return (seconds, memory.TreePeakKb);
    }
}
