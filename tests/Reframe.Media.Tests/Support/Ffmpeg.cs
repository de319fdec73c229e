using System.Diagnostics;

namespace Reframe.Media.Tests.Support;

/// <summary>Runs the real ffmpeg/ffprobe for test fixtures and checks (argument lists, never a shell).</summary>
internal static class Ffmpeg
{
    public static void Run(params string[] arguments) => RunTool("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", .. arguments]);

    public static string Probe(params string[] arguments) => System.Text.Encoding.UTF8.GetString(RunTool("ffprobe", ["-v", "error", .. arguments]));

    public static byte[] RunTool(string tool, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }
        return stdout.ToArray();
    }
}
