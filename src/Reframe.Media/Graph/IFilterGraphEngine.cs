using Reframe.Core.Engines;

namespace Reframe.Media.Graph;

/// <summary>
/// An engine whose fill ffmpeg's own filters can compute. For such a job the runner decodes, places, fills, pastes and
/// encodes in one ffmpeg process: no rawvideo pipes, no per-frame work in .NET, one decode (docs/media.md). Jobs the
/// graph cannot express still stream through <see cref="IVideoEngine.GenerateAsync"/>.
/// </summary>
public interface IFilterGraphEngine : IVideoEngine
{
    /// <summary>
    /// The fill as filter-graph text from <c>[content]</c> to <c>[canvas]</c> (see <see cref="FillGraphJob"/>), or null
    /// when this job needs the engine's per-frame work. Unless <see cref="IVideoEngine.PastesBackSource"/>, the runner
    /// pastes the kept source over the canvas afterwards, as it does for streamed frames.
    /// </summary>
    FillGraph? DescribeFill(FillGraphJob job);
}

/// <summary>A fill as ffmpeg filters, and what to report in <c>meta</c> when it ran.</summary>
/// <param name="Graph">Filter-graph text from <c>[content]</c> to <c>[canvas]</c>.</param>
/// <param name="Report">The engine's report (timings are added by the runner).</param>
public sealed record FillGraph(string Graph, EngineReport Report);
