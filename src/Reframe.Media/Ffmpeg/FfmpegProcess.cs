using System.ComponentModel;
using System.Diagnostics;

namespace Reframe.Media.Ffmpeg;

/// <summary>
/// One running ffmpeg/ffprobe process. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/> (never a
/// quoted string); stderr is drained from the start into a bounded tail so the process can never block on a full
/// pipe; stdin/stdout are exposed as streams for rawvideo. Disposing a process that has not exited stops it
/// (SIGINT, then a kill of the whole tree).
/// </summary>
public sealed class FfmpegProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StderrTail _stderr;
    private readonly Task _stderrDrain;
    private readonly TimeSpan _gracefulStop;
    private int _stopped;

    private FfmpegProcess(Process process, IReadOnlyList<string> argv, StderrTail stderr, TimeSpan gracefulStop)
    {
        _process = process;
        Argv = argv;
        _stderr = stderr;
        _gracefulStop = gracefulStop;
        _stderrDrain = DrainStderrAsync();
    }

    /// <summary>argv, executable first (for error messages and logs).</summary>
    public IReadOnlyList<string> Argv { get; }

    public Stream StandardInput => _process.StandardInput.BaseStream;

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    public string StderrTail => _stderr.ToString();

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public static FfmpegProcess Start(string executable, IReadOnlyList<string> arguments, bool redirectStandardInput, int stderrTailChars, TimeSpan gracefulStop)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = redirectStandardInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var argv = new List<string>(arguments.Count + 1) { executable };
        argv.AddRange(arguments);
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new FfmpegException($"could not start {executable}: is ffmpeg installed (scripts/setup.sh)?", argv, null, "", e);
        }
        return new FfmpegProcess(process, argv, new StderrTail(stderrTailChars), gracefulStop);
    }

    /// <summary>
    /// Waits for the exit and throws <see cref="FfmpegException"/> on a non-zero code. On cancellation or timeout
    /// the process is stopped first, so nothing outlives the call.
    /// </summary>
    public async Task WaitForSuccessAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            limit.CancelAfter(t);
        }
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync();
            cancellationToken.ThrowIfCancellationRequested();
            throw new FfmpegException($"{Path.GetFileName(Argv[0])} timed out after {timeout}", Argv, null, StderrTail);
        }
        await _stderrDrain;
        if (_process.ExitCode != 0)
        {
            throw new FfmpegException($"{Path.GetFileName(Argv[0])} failed", Argv, _process.ExitCode, StderrTail);
        }
    }

    /// <summary>Asks the process to stop (SIGINT), then kills the whole tree if it has not exited in time.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || _process.HasExited)
        {
            return;
        }
        try
        {
            if (PosixSignals.TryInterrupt(_process.Id))
            {
                using var grace = new CancellationTokenSource(_gracefulStop);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                    return;
                }
                catch (OperationCanceledException)
                {
                    // did not stop politely; fall through to the kill
                }
            }
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the signal
        }
    }

    /// <summary>
    /// Kills the process tree at once: for a decoder there is no file to finish, and a decoder blocked writing to a
    /// pipe nobody reads would not act on SIGINT anyway.
    /// </summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || _process.HasExited)
        {
            return;
        }
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the kill
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync();
        }
        try
        {
            await _stderrDrain;
        }
        catch (IOException)
        {
            // the pipe broke with the kill; the tail so far is all there is
        }
        _process.Dispose();
    }

    private async Task DrainStderrAsync()
    {
        // Yield first: the constructor must return before the drain loop starts reading.
        await Task.Yield();
        var buffer = new char[4096];
        var reader = _process.StandardError;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory())) > 0)
        {
            _stderr.Append(buffer.AsSpan(0, read));
        }
    }
}
