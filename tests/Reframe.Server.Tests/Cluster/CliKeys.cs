using System.Diagnostics;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Cluster;

/// <summary>Runs the built <c>reframe keys</c> CLI as an operator would (a separate process, from its own build output).</summary>
public static class CliKeys
{
    public static async Task<string> CreateAsync(string label, params string[] storeArguments)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var cli = Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Reframe.Cli", "bin", configuration, framework, "reframe.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[cli, "keys", "create", "--label", label, .. storeArguments])
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("REFRAME_DATA_DIR");
        info.Environment.Remove("REFRAME_DATABASE_URL");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"reframe keys create exited {process.ExitCode}: {await stderr}");
        }
        return (await stdout).Trim();
    }
}
