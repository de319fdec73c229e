namespace Reframe.Core.Engines;

/// <summary>What a finished run produced: the file's facts for the <c>video</c> object and the facts for <c>meta</c>.</summary>
/// <param name="Width">Output width in pixels.</param>
/// <param name="Height">Output height in pixels.</param>
/// <param name="FramesPerSecond">Output frame rate (after interpolation).</param>
/// <param name="NumFrames">Frames in the output file (after interpolation).</param>
/// <param name="DurationSeconds">NumFrames / FramesPerSecond.</param>
/// <param name="GeneratedFrames">Frames the engine generated: what pricing charges (interpolated frames are free).</param>
/// <param name="ChargedResolutionTier">The tier the canvas was planned at (<c>480p</c>, <c>580p</c> or <c>720p</c>), for pricing.</param>
/// <param name="Engine">The engine that generated the frames (<c>classic</c> or <c>wan</c>), for <c>meta.engine</c>.</param>
/// <param name="Interpolator">What interpolated frames, or null when none was needed, for <c>meta.interpolator</c>.</param>
public sealed record ReframeOutcome(
    int Width,
    int Height,
    double FramesPerSecond,
    int NumFrames,
    double DurationSeconds,
    int GeneratedFrames,
    string ChargedResolutionTier,
    string Engine,
    string? Interpolator)
{
    /// <summary>Where the scaled source content lies on the output canvas (<c>meta.content_rect</c>), when the runner
    /// knows it. An init-only extra rather than a positional parameter so runners written before it still compile.</summary>
    public PixelRect? ContentRect { get; init; }

    /// <summary>The kept rectangle on the output canvas (<c>meta.keep_rect</c>): everything outside it was generated.
    /// Lets clients (the playground) outline the outpainted area without re-planning the canvas.</summary>
    public PixelRect? KeepRect { get; init; }

    /// <summary>What the engine actually ran (sampler, steps, windows, device, timings...), for <c>meta</c>.</summary>
    public EngineReport? Report { get; init; }

    /// <summary>Why <see cref="Interpolator"/> is not the requested <c>interpolator_model</c> (no model installed...),
    /// for <c>meta.interpolator_reason</c>; null when the requested one ran or nothing was interpolated.</summary>
    public string? InterpolatorReason { get; init; }
}
