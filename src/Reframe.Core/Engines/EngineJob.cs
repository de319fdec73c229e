using Reframe.Core.Requests;

namespace Reframe.Core.Engines;

/// <summary>
/// One engine call: the canvas video with the source already placed on it, and which part to keep.
/// Frames are packed RGB24, <c>Width * Height * 3</c> bytes, rows top to bottom.
/// </summary>
/// <param name="Width">Canvas width (even, a multiple of 16 for the planned tiers).</param>
/// <param name="Height">Canvas height.</param>
/// <param name="FrameCount">Frames to generate (4k+1 for the Wan engine).</param>
/// <param name="FramesPerSecond">The frame rate the frames will be encoded at.</param>
/// <param name="ContentRect">Where the scaled source content lies on the canvas, clipped to the canvas.</param>
/// <param name="KeepRect">The part that is kept: <see cref="ContentRect"/> inset by the seam on sides that border generated area.
/// The generate mask is 1 outside it and 0 inside it.</param>
/// <param name="CanvasFrames">The source frames placed on the canvas; outside <see cref="ContentRect"/> the pixels are undefined.</param>
/// <param name="FirstFrame">An image pinned as the first output frame, fitted to the canvas (RGB24), or null.</param>
/// <param name="LastFrame">An image pinned as the last output frame, fitted to the canvas (RGB24), or null.</param>
/// <param name="Options">The request (prompt, steps, guidance, sampler, shift...).</param>
/// <param name="Seed">The seed to use.</param>
public sealed record EngineJob(
    int Width,
    int Height,
    int FrameCount,
    double FramesPerSecond,
    PixelRect ContentRect,
    PixelRect KeepRect,
    IFrameReader CanvasFrames,
    byte[]? FirstFrame,
    byte[]? LastFrame,
    GenerationOptions Options,
    long Seed)
{
    public int FrameBytes => Width * Height * 3;

    /// <summary>
    /// Frames the output keeps: <see cref="FrameCount"/> is snapped up to 4k+1 for the model, and the frames past
    /// this count are dropped. Defaults to <see cref="FrameCount"/>.
    /// </summary>
    public int FramesUsed { get; init; } = FrameCount;

    /// <summary>Where <see cref="LastFrame"/> is pinned: the last frame the output keeps (not the 4k+1 padding).</summary>
    public int LastFrameIndex => Math.Clamp(FramesUsed, 1, FrameCount) - 1;
}
