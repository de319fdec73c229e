using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>
/// The built service as a separate process (<c>dotnet Reframe.Server.dll</c>), on a data directory the test
/// chooses, so it can be killed with SIGKILL (not disposed) and started again on the same directory.
/// </summary>
public sealed partial class ChildServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildServer(Process process) => _process = process;

    public Uri BaseAddress => _listening.Task.Result;

    public IReadOnlyCollection<string> Output => _output;

    public static async Task<ChildServer> StartAsync(string dataDirectory, IDictionary<string, string?> environment)
    {
        var child = new ChildServer(Process.Start(StartInfo(dataDirectory, environment))!);
        child._process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exited = child._process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(child._listening.Task, exited);
        if (first != child._listening.Task)
        {
            throw new InvalidOperationException("the service did not start:\n" + string.Join('\n', child._output));
        }
        return child;
    }

    /// <summary>
    /// Starts the service as users do and waits for it to exit on its own (a start-up refusal): its exit status and
    /// everything it printed. A service that starts serving instead is killed after <paramref name="limit"/> and the
    /// test fails with its output.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IDictionary<string, string?> environment, TimeSpan limit)
    {
        var data = Directory.CreateTempSubdirectory("reframe-startup-").FullName;
        try
        {
            using var process = Process.Start(StartInfo(data, environment))!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the service kept running instead of refusing to start:\n" + await stdout + await stderr);
            }

            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static ProcessStartInfo StartInfo(string dataDirectory, IDictionary<string, string?> environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reframe.Server.dll"));
        // A clean slate: none of the test runner's own REFRAME_* settings leak into the child.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("REFRAME_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["REFRAME_DATA_DIR"] = dataDirectory;
        psi.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        return psi;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine loses power or the OOM killer strikes.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public ApiClient Client(string key) => new(BaseAddress, key);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
