using Reframe.Core.Safety;

namespace Reframe.Server.Configuration;

/// <summary>
/// What every node knows about <c>enable_safety_checker</c> from its configuration alone: whether a classifier is
/// configured (REFRAME_SAFETY_MODEL; an API node never loads it) and what to do without one
/// (REFRAME_SAFETY_CHECKER_UNAVAILABLE). The API node answers 400 from this; the worker reports it in <c>meta</c>.
/// </summary>
public sealed record SafetyCheckerAvailability(bool CheckerConfigured, UnavailableSafetyPolicy WhenUnavailable)
{
    public const string PolicyKey = "REFRAME_SAFETY_CHECKER_UNAVAILABLE";

    /// <summary>A request asking for the checker is refused at submission.</summary>
    public bool Rejects => !CheckerConfigured && WhenUnavailable == UnavailableSafetyPolicy.Reject;

    public static SafetyCheckerAvailability FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var policy = configuration[PolicyKey]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "allow" => UnavailableSafetyPolicy.Allow,
            "reject" => UnavailableSafetyPolicy.Reject,
            var other => throw new StartupException($"{PolicyKey}='{other}' is not one of allow, reject."),
        };
        return new SafetyCheckerAvailability(!string.IsNullOrWhiteSpace(configuration[Onnx.Safety.SafetyModelSettings.ModelKey]), policy);
    }
}
