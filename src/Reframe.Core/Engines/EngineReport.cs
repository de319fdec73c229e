namespace Reframe.Core.Engines;

/// <summary>
/// What an engine actually ran for one task, reported in <c>meta</c> so that a user sees the computation that
/// produced the result (not merely what was asked for). Fields that do not apply to an engine stay null.
/// </summary>
/// <param name="Engine"><c>meta.engine</c>: <c>classic</c> or <c>wan</c>.</param>
public sealed record EngineReport(string Engine)
{
    /// <summary>Where it ran: <c>cpu</c>, <c>cuda:0</c>...</summary>
    public string? Device { get; init; }

    /// <summary>The weights' compute dtype: <c>float32</c>, <c>bfloat16</c>.</summary>
    public string? DType { get; init; }

    /// <summary>The flow sampler used (<c>unipc</c>, <c>dpm++</c>, <c>euler</c>).</summary>
    public string? Sampler { get; init; }

    /// <summary>Denoising steps run per window.</summary>
    public int? Steps { get; init; }

    /// <summary>The flow shift the sampler used.</summary>
    public double? Shift { get; init; }

    /// <summary>The classifier-free guidance scale applied (1 means guidance off).</summary>
    public double? GuidanceScale { get; init; }

    /// <summary>How many sliding windows the clip was denoised in.</summary>
    public int? Windows { get; init; }

    /// <summary>The step caching actually applied (<c>none</c> when every step computed every block).</summary>
    public string? Acceleration { get; init; }

    /// <summary>Expert calls that ran every block, over the whole task.</summary>
    public int? StepsComputed { get; init; }

    /// <summary>Expert calls that reused a cached residual, over the whole task.</summary>
    public int? StepsReused { get; init; }

    /// <summary>Seconds per stage (<c>load</c>, <c>text</c>, <c>vae_encode</c>, <c>denoise</c>, <c>vae_decode</c>, <c>encode</c>...).</summary>
    public IReadOnlyDictionary<string, double>? Timings { get; init; }

    /// <summary>This report with one more timing (e.g. the runner's <c>encode</c>).</summary>
    public EngineReport WithTiming(string stage, double seconds)
    {
        var timings = new Dictionary<string, double>(Timings ?? new Dictionary<string, double>(), StringComparer.Ordinal)
        {
            [stage] = Math.Round(seconds, 3),
        };
        return this with { Timings = timings };
    }
}
