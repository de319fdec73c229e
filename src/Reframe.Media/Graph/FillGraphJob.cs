using Reframe.Core.Engines;
using Reframe.Core.Requests;

namespace Reframe.Media.Graph;

/// <summary>
/// What an <see cref="IFilterGraphEngine"/> is told about one job when it describes its fill as ffmpeg filters.
/// The fill reads <see cref="ContentLabel"/> (the visible content, <see cref="ContentRect"/> sized, yuv444p BT.709
/// limited range, one frame per generated frame at <see cref="Rate"/>, timestamps from 0) and writes
/// <see cref="CanvasLabel"/> (the canvas, yuv444p, same frames).
/// </summary>
/// <param name="CanvasWidth">Canvas width.</param>
/// <param name="CanvasHeight">Canvas height.</param>
/// <param name="ContentRect">Where the content lies on the canvas.</param>
/// <param name="KeepRect">The kept part of the content (see <see cref="EngineJob.KeepRect"/>).</param>
/// <param name="Rate">The rate frames are generated at.</param>
/// <param name="FrameCount">Frames the output uses.</param>
/// <param name="HasAnchors">A first or last frame image is pinned.</param>
/// <param name="Options">The request.</param>
public sealed record FillGraphJob(
    int CanvasWidth,
    int CanvasHeight,
    PixelRect ContentRect,
    PixelRect KeepRect,
    Rational Rate,
    int FrameCount,
    bool HasAnchors,
    GenerationOptions Options)
{
    public const string ContentLabel = "content";
    public const string CanvasLabel = "canvas";
}
