using Reframe.Core.Configuration;
using System.Globalization;
using Reframe.Core.Tasks;

namespace Reframe.Server.Configuration;

/// <summary>
/// Every REFRAME_* setting, read once at start-up from configuration (environment variables, or the same keys
/// in appsettings / the command line). docs/configuration.md lists them; keep the two in step.
/// A malformed value stops start-up with a message naming the variable. The input limits (REFRAME_MAX_DOWNLOAD_BYTES,
/// REFRAME_ALLOW_PRIVATE_URLS...) are read by the fetcher's own settings, Reframe.Media.Sources.FetchSettings.
/// </summary>
public sealed record ReframeSettings
{
    public required string DataDirectory { get; init; }
    public IReadOnlyList<string> ApiKeys { get; init; } = [];
    public int Workers { get; init; } = 1;
    public Uri? PublicBaseUrl { get; init; }
    public long MaxRequestBytes { get; init; } = 100L * 1024 * 1024;
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromMinutes(60);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TaskQueueOptions Queue { get; init; } = new();

    /// <summary>REFRAME_ROLE: what this process runs.</summary>
    public ReframeRole Role { get; init; } = ReframeRole.All;

    /// <summary>REFRAME_DATABASE_URL: a PostgreSQL URL or Npgsql connection string; null means SQLite in the data directory.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>REFRAME_BLOB_URL and the S3 settings; null means results in the data directory.</summary>
    public BlobSettings? Blobs { get; init; }

    public bool RunsApi => Role != ReframeRole.Worker;

    public bool RunsWorkers => Role != ReframeRole.Api && Workers > 0;

    public string ResultsDirectory => Path.Combine(DataDirectory, "results");
    public string WorkDirectory => Path.Combine(DataDirectory, "work");

    public static ReframeSettings FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var dataDir = configuration["REFRAME_DATA_DIR"];
        dataDir = string.IsNullOrWhiteSpace(dataDir) ? "./data" : dataDir;
        var defaults = new TaskQueueOptions();
        var role = ParseRole(configuration["REFRAME_ROLE"]);
        var databaseUrl = configuration["REFRAME_DATABASE_URL"] is { Length: > 0 } url ? url : null;
        if (role != ReframeRole.All && databaseUrl is null)
        {
            throw new SettingException(
                $"REFRAME_ROLE={role.ToString().ToLowerInvariant()} needs a database shared by the nodes (REFRAME_DATABASE_URL): the embedded SQLite store belongs to one process.");
        }
        return new ReframeSettings
        {
            Role = role,
            DatabaseUrl = databaseUrl,
            Blobs = BlobSettings.FromConfiguration(configuration),
            DataDirectory = Path.GetFullPath(dataDir, contentRoot),
            ApiKeys = (configuration["REFRAME_API_KEYS"] ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Workers = Int(configuration, "REFRAME_WORKERS", 1, min: 0, max: 256),
            PublicBaseUrl = BaseUrl(configuration, "REFRAME_PUBLIC_BASE_URL"),
            MaxRequestBytes = Long(configuration, "REFRAME_MAX_REQUEST_BYTES", 100L * 1024 * 1024, min: 1024),
            TaskTimeout = TimeSpan.FromMinutes(Int(configuration, "REFRAME_TASK_TIMEOUT_MINUTES", 60, min: 1, max: 7 * 24 * 60)),
            PollInterval = TimeSpan.FromMilliseconds(Int(configuration, "REFRAME_POLL_MS", 1000, min: 10, max: 60_000)),
            Queue = new TaskQueueOptions
            {
                LeaseDuration = TimeSpan.FromSeconds(Int(configuration, "REFRAME_LEASE_SECONDS", (int)defaults.LeaseDuration.TotalSeconds, min: 2, max: 3600)),
                MaxAttempts = Int(configuration, "REFRAME_MAX_ATTEMPTS", defaults.MaxAttempts, min: 1, max: 100),
                Retention = TimeSpan.FromMinutes(Int(configuration, "REFRAME_RETENTION_MINUTES", (int)defaults.Retention.TotalMinutes, min: 1, max: 365 * 24 * 60)),
            },
        };
    }

    private static ReframeRole ParseRole(string? raw) => raw?.Trim().ToUpperInvariant() switch
    {
        null or "" or "ALL" => ReframeRole.All,
        "API" => ReframeRole.Api,
        "WORKER" => ReframeRole.Worker,
        _ => throw new SettingException($"REFRAME_ROLE='{raw}' must be all, api or worker."),
    };

    private static int Int(IConfiguration c, string key, int fallback, int min, int max) =>
        (int)Long(c, key, fallback, min, max);

    private static long Long(IConfiguration c, string key, long fallback, long min, long max = long.MaxValue)
    {
        var raw = c[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new SettingException($"{key}='{raw}' is not an integer in {min}..{max}.");
        }
        return value;
    }

    private static Uri? BaseUrl(IConfiguration c, string key)
    {
        var raw = c[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        if (!Uri.TryCreate(raw.TrimEnd('/'), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new SettingException($"{key}='{raw}' is not an absolute http(s) URL.");
        }
        return uri;
    }
}
