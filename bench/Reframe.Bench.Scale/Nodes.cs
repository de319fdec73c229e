using Microsoft.AspNetCore.Builder;
using Reframe.Server;

namespace Reframe.Bench.Scale;

/// <summary>Reframe nodes in this process (ReframeApp's real composition on Kestrel, loopback), configured like operators do.</summary>
internal static class Nodes
{
    public const string Key = "bench-key-0123456789abcdef";

    public static async Task<WebApplication> StartAsync(string dataDirectory, IDictionary<string, string> settings)
    {
        var values = new Dictionary<string, string>
        {
            ["REFRAME_DATA_DIR"] = dataDirectory,
            ["REFRAME_API_KEYS"] = Key,
            ["REFRAME_RATE_LIMIT_PER_MINUTE"] = "0",
            ["REFRAME_MAX_ACTIVE_TASKS_PER_KEY"] = "0",
            ["REFRAME_WEBHOOK_SECRET"] = "bench-webhook-secret-0123456789",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings)
        {
            values[k] = v;
        }
        var builder = ReframeApp.CreateBuilder(values.Select(kv => $"--{kv.Key}={kv.Value}").ToArray());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = ReframeApp.Configure(builder.Build());
        await app.StartAsync();
        return app;
    }

    public static string TempDirectory(string name) => Path.Combine(Path.GetTempPath(), $"reframe-bench-scale-{name}-{Guid.NewGuid():N}");
}
