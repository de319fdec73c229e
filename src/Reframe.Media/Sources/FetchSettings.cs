using Reframe.Core.Configuration;
using System.Globalization;

namespace Reframe.Media.Sources;

/// <summary>
/// Limits and network policy for fetching user-supplied inputs (and, through <see cref="GuardedHttp"/>, for any
/// other outgoing request to a user-chosen URL such as webhooks).
/// </summary>
public sealed record FetchSettings
{
    /// <summary>Largest body accepted from an http(s) URL, counted on the wire as it streams to disk.</summary>
    public long MaxDownloadBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Wall-clock budget for one fetch: connect, every redirect and the whole body.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Budget for opening one TCP connection (a black-holed address fails fast instead of eating the download budget).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest decoded payload of a <c>data:</c> URI.</summary>
    public long MaxDataUriBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Redirects followed per fetch; each hop is checked like the first URL.</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>Longest http(s) URL accepted, in characters.</summary>
    public int MaxUrlLength { get; init; } = 8 * 1024;

    /// <summary>
    /// Turns the SSRF guard off: loopback, private, link-local and metadata addresses may be fetched. For tests and
    /// trusted single-user setups only (<c>REFRAME_ALLOW_PRIVATE_URLS=true</c>).
    /// </summary>
    public bool AllowPrivateUrls { get; init; }

    public const string AllowPrivateUrlsVariable = "REFRAME_ALLOW_PRIVATE_URLS";
    public const string MaxDownloadBytesVariable = "REFRAME_MAX_DOWNLOAD_BYTES";
    public const string DownloadTimeoutVariable = "REFRAME_DOWNLOAD_TIMEOUT_SECONDS";
    public const string MaxDataUriBytesVariable = "REFRAME_MAX_DATA_URI_BYTES";
    public const string MaxRedirectsVariable = "REFRAME_MAX_REDIRECTS";

    /// <summary>
    /// Reads the <c>REFRAME_*</c> variables over the defaults. A malformed value is an error at start-up rather
    /// than a silently ignored limit.
    /// </summary>
    public static FetchSettings FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var settings = new FetchSettings();
        if (read(AllowPrivateUrlsVariable) is { Length: > 0 } allow)
        {
            settings = settings with { AllowPrivateUrls = ParseBool(AllowPrivateUrlsVariable, allow) };
        }
        if (read(MaxDownloadBytesVariable) is { Length: > 0 } bytes)
        {
            settings = settings with { MaxDownloadBytes = ParsePositive(MaxDownloadBytesVariable, bytes) };
        }
        if (read(DownloadTimeoutVariable) is { Length: > 0 } seconds)
        {
            settings = settings with { DownloadTimeout = TimeSpan.FromSeconds(ParsePositive(DownloadTimeoutVariable, seconds)) };
        }
        if (read(MaxDataUriBytesVariable) is { Length: > 0 } dataBytes)
        {
            settings = settings with { MaxDataUriBytes = ParsePositive(MaxDataUriBytesVariable, dataBytes) };
        }
        if (read(MaxRedirectsVariable) is { Length: > 0 } redirects)
        {
            settings = settings with { MaxRedirects = (int)Math.Min(ParsePositive(MaxRedirectsVariable, redirects), 20) };
        }
        return settings;
    }

    private static bool ParseBool(string name, string value) =>
        value.Trim().ToUpperInvariant() switch
        {
            "TRUE" or "1" or "YES" => true,
            "FALSE" or "0" or "NO" => false,
            _ => throw new SettingException($"{name} must be true or false, not '{value}'."),
        };

    private static long ParsePositive(string name, string value) =>
        long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new SettingException($"{name} must be a positive whole number, not '{value}'.");
}
