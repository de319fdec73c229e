using Reframe.Core.Configuration;
using System.Globalization;

namespace Reframe.Server.Limits;

/// <summary>
/// Per-key limits on submissions (docs/configuration.md): <c>REFRAME_RATE_LIMIT_PER_MINUTE</c> (POSTs per key per
/// minute, a token bucket that allows the whole minute's budget as a burst) and
/// <c>REFRAME_MAX_ACTIVE_TASKS_PER_KEY</c> (queued + generating tasks per key). 0 turns a limit off. The defaults
/// are generous: they stop a runaway script, not a user.
/// </summary>
public sealed record SubmissionLimitSettings(int RatePerMinute, int MaxActiveTasksPerKey)
{
    public const int DefaultRatePerMinute = 600;
    public const int DefaultMaxActiveTasksPerKey = 1000;

    public static SubmissionLimitSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new SubmissionLimitSettings(
            Read(configuration, "REFRAME_RATE_LIMIT_PER_MINUTE", DefaultRatePerMinute),
            Read(configuration, "REFRAME_MAX_ACTIVE_TASKS_PER_KEY", DefaultMaxActiveTasksPerKey));
    }

    private static int Read(IConfiguration configuration, string key, int fallback)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 1_000_000)
        {
            throw new SettingException($"{key} must be a whole number from 0 (off) to 1000000; it is '{raw}'.");
        }
        return value;
    }
}
