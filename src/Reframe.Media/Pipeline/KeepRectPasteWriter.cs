using Reframe.Core.Engines;
using Reframe.Media.Frames;
using Reframe.Media.Planning;

namespace Reframe.Media.Pipeline;

/// <summary>
/// Between the engine and the encoder: pastes the source's own pixels back inside the keep rectangle (so the
/// kept area never drifts in colour or detail through the engine), and forwards only the frames the output uses.
/// With no <paramref name="store"/> (an engine that pastes back itself) it only forwards and counts.
/// </summary>
internal sealed class KeepRectPasteWriter(IFrameWriter downstream, ReframePlan plan, SourceFrameStore? store, int forwardFrames) : IFrameWriter
{
    private readonly byte[] _scratch = new byte[plan.CanvasWidth * plan.CanvasHeight * 3];

    public int Width => plan.CanvasWidth;
    public int Height => plan.CanvasHeight;
    public int FrameBytes => _scratch.Length;

    /// <summary>Frames the engine wrote.</summary>
    public int FramesReceived { get; private set; }

    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (frame.Length < FrameBytes)
        {
            throw new ArgumentException($"a canvas frame is {FrameBytes} bytes; the engine wrote {frame.Length}", nameof(frame));
        }
        var index = FramesReceived++;
        if (index >= forwardFrames)
        {
            return; // past the end of the output (4k+1 padding)
        }
        if (store is null)
        {
            await downstream.WriteFrameAsync(frame[..FrameBytes], cancellationToken);
            return;
        }
        frame.Span[..FrameBytes].CopyTo(_scratch);
        var source = await store.GetAsync(index, cancellationToken);
        FrameGeometry.CopyIntoCanvas(source.Span, plan.ContentRect, _scratch, plan.CanvasWidth, plan.KeepRect);
        await downstream.WriteFrameAsync(_scratch, cancellationToken);
    }
}
