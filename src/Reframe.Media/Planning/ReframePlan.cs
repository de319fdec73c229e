using Reframe.Core.Engines;
using Reframe.Core.Requests;

namespace Reframe.Media.Planning;

/// <summary>
/// Everything decided before a frame is decoded: where the source goes on which canvas, which frames are
/// generated at what rate, and how the output gets back to its length and rate. Pure data, built by
/// <see cref="ReframePlanner"/>.
/// </summary>
/// <param name="CanvasWidth">Output width (even).</param>
/// <param name="CanvasHeight">Output height (even).</param>
/// <param name="Tier">The tier actually used (never <c>auto</c>), for pricing.</param>
/// <param name="TrimBox">The content box in the source's displayed frame after border trimming.</param>
/// <param name="ScaledWidth">The content's width once scaled (before anything is cut by the canvas).</param>
/// <param name="ScaledHeight">The content's height once scaled.</param>
/// <param name="OffsetX">Where the scaled content's left edge lies on the canvas (negative when zoom cuts it).</param>
/// <param name="OffsetY">Where the scaled content's top edge lies on the canvas.</param>
/// <param name="ContentRect">The visible part of the scaled content on the canvas.</param>
/// <param name="KeepRect">The kept part: <see cref="ContentRect"/> inset by the seam on sides bordering generated area.</param>
/// <param name="Frames">Frame selection, rates and interpolation.</param>
public sealed record ReframePlan(
    int CanvasWidth,
    int CanvasHeight,
    Resolution Tier,
    PixelRect TrimBox,
    int ScaledWidth,
    int ScaledHeight,
    int OffsetX,
    int OffsetY,
    PixelRect ContentRect,
    PixelRect KeepRect,
    FramePlan Frames)
{
    /// <summary>The part of the scaled content that is visible, in the scaled content's own coordinates.</summary>
    public PixelRect VisibleInScaled => new(ContentRect.X - OffsetX, ContentRect.Y - OffsetY, ContentRect.Width, ContentRect.Height);

    /// <summary>True when the canvas has any area to generate (false: the content covers it all).</summary>
    public bool HasGeneratedArea => KeepRect != new PixelRect(0, 0, CanvasWidth, CanvasHeight);
}

/// <summary>
/// Which frames are generated and how the output reaches its length and rate.
/// Source frames are taken at <see cref="SourceRate"/>, every <c>k+1</c>-th one (<see cref="DownsampleFactor"/>),
/// <see cref="GeneratedFrames"/> of them (4k+1, at most the ceiling), generated at <see cref="GenerationRate"/>,
/// then interpolated by <see cref="InterpolationFactor"/> to <see cref="OutputRate"/> and cut to <see cref="OutputFrames"/>.
/// </summary>
/// <param name="SourceRate">The rate the source is sampled at (its own, or <c>frames_per_second</c>).</param>
/// <param name="ResampleSource">The decoder must resample to <see cref="SourceRate"/> (fps changed, or a variable-rate source).</param>
/// <param name="TargetFrames">Frames at <see cref="SourceRate"/> the output covers (the source's count, or snapped <c>num_frames</c>).</param>
/// <param name="DownsampleFactor">k: every (k+1)-th source frame is generated.</param>
/// <param name="GeneratedFrames">Frames the engine generates (4k+1).</param>
/// <param name="GenerationRate">SourceRate / (k+1).</param>
/// <param name="InsertedFrames">n of <c>num_interpolated_frames</c>.</param>
/// <param name="OutputRate">SourceRate x (n+1).</param>
/// <param name="OutputFrames">(TargetFrames - 1)(n+1) + 1.</param>
/// <param name="AutoDownsampled">k was picked by <c>enable_auto_downsample</c>.</param>
public sealed record FramePlan(
    Rational SourceRate,
    bool ResampleSource,
    int TargetFrames,
    int DownsampleFactor,
    int GeneratedFrames,
    Rational GenerationRate,
    int InsertedFrames,
    Rational OutputRate,
    int OutputFrames,
    bool AutoDownsampled)
{
    /// <summary>(k+1)(n+1): output frames per generated frame interval.</summary>
    public int InterpolationFactor => (DownsampleFactor + 1) * (InsertedFrames + 1);

    public bool NeedsInterpolation => InterpolationFactor > 1 && OutputFrames > 1;

    /// <summary>Generated frames the output actually uses (the 4k+1 padding past the end is dropped).</summary>
    public int GeneratedFramesUsed => NeedsInterpolation
        ? Math.Min(GeneratedFrames, (OutputFrames - 1 + InterpolationFactor - 1) / InterpolationFactor + 1)
        : Math.Min(GeneratedFrames, OutputFrames);
}
