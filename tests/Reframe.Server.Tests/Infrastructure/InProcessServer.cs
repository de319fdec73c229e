using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>
/// The real service (ReframeApp's composition) on a real Kestrel bound to 127.0.0.1:0, with its own temporary
/// data directory. Tests talk to it over HTTP only.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    public const string KeyA = "test-key-alpha-0123456789";
    public const string KeyB = "test-key-bravo-9876543210";

    private readonly WebApplication _app;
    private readonly bool _ownsDirectory;

    private InProcessServer(WebApplication app, string dataDirectory, bool ownsDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        BaseAddress = new Uri(app.Urls.First());
    }

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<InProcessServer> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string? dataDirectory = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "reframe-server-" + Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        var config = new Dictionary<string, string?>
        {
            ["REFRAME_DATA_DIR"] = dataDirectory,
            ["REFRAME_API_KEYS"] = $"{KeyA},{KeyB}",
            ["REFRAME_ALLOW_PRIVATE_URLS"] = "true",
            ["REFRAME_WORKERS"] = "1",
            ["REFRAME_POLL_MS"] = "100",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            config[k] = v;
        }
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        services?.Invoke(builder.Services); // first, so the service's TryAdd registrations leave these in place
        ReframeApp.AddReframe(builder);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        try
        {
            ReframeApp.Configure(app);
            await app.StartAsync();
            return new InProcessServer(app, dataDirectory, owns);
        }
        catch
        {
            // Tests of start-up failures expect this throw; what it opened and the directory it made must not outlive them.
            await app.DisposeAsync();
            if (owns)
            {
                TryDelete(dataDirectory);
            }
            throw;
        }
    }

    public ApiClient Client(string? key = KeyA) => new(BaseAddress, key);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort (also when start-up failed before making it)
        }
    }
}
