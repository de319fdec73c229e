using Reframe.TestSupport;

namespace Reframe.Server.Tests.Cluster;

/// <summary>Runs the built <c>reframe keys</c> CLI as an operator would (a separate process, from its own build output).</summary>
public static class CliKeys
{
    public static async Task<string> CreateAsync(string label, params string[] storeArguments)
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["keys", "create", "--label", label, .. storeArguments]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"reframe keys create exited {exitCode}: {stderr}");
        }
        return stdout.Trim();
    }
}
