using Reframe.Core.Engines;

namespace Reframe.Workers;

/// <summary>
/// The contract's pricing: 1 US dollar = 2,000,000 credits; a completed task costs (generated frames / 16) x the
/// tier's dollar rate per such second (fal's list price, tunable). Interpolated frames are free, so the charge uses
/// <see cref="ReframeOutcome.GeneratedFrames"/>, not the output's frame count.
/// </summary>
public static class Pricing
{
    public const long CreditsPerDollar = 2_000_000;
    public const int FramesPerBilledSecond = 16;

    public static decimal DollarsPerSecond(string tier) => tier switch
    {
        "480p" => 0.05m,
        "580p" => 0.075m,
        "720p" => 0.10m,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "no price for this tier"),
    };

    public static long Credits(int generatedFrames, string tier)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(generatedFrames);
        var credits = generatedFrames * DollarsPerSecond(tier) * CreditsPerDollar / FramesPerBilledSecond;
        return (long)Math.Round(credits, MidpointRounding.AwayFromZero);
    }
}
