using Microsoft.AspNetCore.Builder;
using Reframe.Client;
using Reframe.Server;

namespace Reframe.TestSupport;

/// <summary>
/// The real service (the same composition as Program.cs) on a loopback port chosen by the OS, over a fresh data
/// directory unless one is given (to test restarts). Settings are passed the way operators pass them.
/// </summary>
public sealed class ReframeService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDataDirectory;

    private ReframeService(WebApplication app, string dataDirectory, string apiKey, bool ownsDataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        ApiKey = apiKey;
        _ownsDataDirectory = ownsDataDirectory;
        Origin = new Uri(app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal)));
    }

    public string DataDirectory { get; }
    public string ApiKey { get; }

    /// <summary>e.g. http://127.0.0.1:41234</summary>
    public Uri Origin { get; }

    /// <summary>The API root a client is given: {Origin}/v2</summary>
    public Uri ApiRoot => new(Origin, "/v2");

    public IServiceProvider Services => _app.Services;

    public static async Task<ReframeService> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string? dataDirectory = null,
        string? apiKey = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= TempPaths.NewDirectory("reframe-data");
        apiKey ??= "test-key-" + Guid.NewGuid().ToString("N");
        var values = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["REFRAME_DATA_DIR"] = dataDirectory,
            ["REFRAME_API_KEYS"] = apiKey,
            ["REFRAME_WORKERS"] = "1",
            ["REFRAME_EVENTS_POLL_MS"] = "100",
            ["REFRAME_WEBHOOK_SECRET"] = TestSecrets.Webhook,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }
        var args = values.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = ReframeApp.Configure(ReframeApp.CreateBuilder(args).Build());
        await app.StartAsync().ConfigureAwait(false);
        return new ReframeService(app, dataDirectory, apiKey, owns);
    }

    public ReframeClient CreateClient(string? apiKey = null) => new(ApiRoot, apiKey ?? ApiKey);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataDirectory)
        {
            TempPaths.TryDelete(DataDirectory);
        }
    }
}

public static class TestSecrets
{
    public const string Webhook = "test-webhook-secret-0123456789";
}
