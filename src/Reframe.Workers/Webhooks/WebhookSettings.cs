namespace Reframe.Workers.Webhooks;

/// <summary>
/// Webhook tunables: REFRAME_WEBHOOK_SECRET (the HMAC key; when unset one is created once and kept in the data
/// directory as <c>webhook-secret</c>), REFRAME_WEBHOOK_MAX_ATTEMPTS, REFRAME_WEBHOOK_BACKOFF_MS (first retry
/// delay, doubled each time up to REFRAME_WEBHOOK_MAX_BACKOFF_SECONDS), REFRAME_WEBHOOK_TIMEOUT_SECONDS.
/// </summary>
public sealed record WebhookSettings
{
    public required byte[] Secret { get; init; }
    public int MaxAttempts { get; init; } = 10;
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>How often the dispatcher looks for ended tasks and due deliveries.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Finished delivery records are kept this long (for operators), then deleted.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(3);

    public static WebhookSettings FromConfiguration(IConfiguration configuration, string dataDirectory) => new()
    {
        Secret = WebhookSecret.Load(configuration["REFRAME_WEBHOOK_SECRET"], dataDirectory),
        MaxAttempts = ConfigurationNumbers.Read(configuration, "REFRAME_WEBHOOK_MAX_ATTEMPTS", 10, 1, 100),
        FirstBackoff = TimeSpan.FromMilliseconds(ConfigurationNumbers.Read(configuration, "REFRAME_WEBHOOK_BACKOFF_MS", 5000, 10, 3_600_000)),
        MaxBackoff = TimeSpan.FromSeconds(ConfigurationNumbers.Read(configuration, "REFRAME_WEBHOOK_MAX_BACKOFF_SECONDS", 1800, 1, 86_400)),
        AttemptTimeout = TimeSpan.FromSeconds(ConfigurationNumbers.Read(configuration, "REFRAME_WEBHOOK_TIMEOUT_SECONDS", 15, 1, 600)),
    };

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1: exponential, capped.</summary>
    public TimeSpan BackoffAfter(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = TimeSpan.FromMilliseconds(FirstBackoff.TotalMilliseconds * factor);
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
