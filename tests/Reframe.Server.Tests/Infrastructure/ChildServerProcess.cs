namespace Reframe.Server.Tests.Infrastructure;

public sealed partial class ChildServer
{
    /// <summary>The child's process id (to read its memory figures from /proc, or signal it).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Peak resident set (VmHWM) of the child so far, in bytes, read from /proc (Linux).</summary>
    public long PeakWorkingSetBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmHWM in /proc status");
    }

    /// <summary>SIGTERM (graceful stop) and wait for the process to exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public int ExitCode => _process.ExitCode;
}
