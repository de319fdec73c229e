using System.Diagnostics;

namespace Reframe.TestSupport;

/// <summary>Runs the built <c>reframe</c> CLI as a separate process, as a user would.</summary>
public static class CliProcess
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(CliAssembly());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // The user's environment must not leak into the test.
        info.Environment.Remove("REFRAME_URL");
        info.Environment.Remove("REFRAME_API_KEY");
        info.Environment.Remove("REFRAME_DATA_DIR");
        info.Environment.Remove("REFRAME_DATABASE_URL");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// The CLI from its own build output, as <c>dotnet run --project src/Reframe.Cli</c> runs it. The copy in this
    /// test folder is resolved against this project's dependencies (ASP.NET's shared framework supplies
    /// Microsoft.Extensions.* here, so they are not copied), which the CLI's own runtimeconfig does not have.
    /// </summary>
    private static string CliAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent?.Name ?? "Debug";
        var own = Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Reframe.Cli", "bin", configuration, testOutput.Name, "reframe.dll");
        return File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, "reframe.dll");
    }
}
