using System.Buffers;
using Reframe.Core.Engines;
using Reframe.Media.Frames;
using Reframe.Media.Planning;

namespace Reframe.Media.Pipeline;

/// <summary>
/// The engine's view of the source: canvas-sized frames with the decoded content placed at
/// <see cref="ReframePlan.ContentRect"/> and black elsewhere. Each content frame is also handed to the
/// <see cref="SourceFrameStore"/> for the paste-back.
/// </summary>
internal sealed class CanvasFrameReader(IFrameReader content, ReframePlan plan, SourceFrameStore store) : IFrameReader
{
    private int _index;

    public int Width => plan.CanvasWidth;
    public int Height => plan.CanvasHeight;
    public int FrameBytes => plan.CanvasWidth * plan.CanvasHeight * 3;

    public int FramesRead => _index;

    public async ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(content.FrameBytes);
        bool got;
        try
        {
            got = await content.ReadFrameAsync(buffer.AsMemory(0, content.FrameBytes), cancellationToken);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        if (!got)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }
        var canvas = frame.Span[..FrameBytes];
        canvas.Clear();
        FrameGeometry.CopyIntoCanvas(buffer.AsSpan(0, content.FrameBytes), plan.ContentRect, canvas, plan.CanvasWidth, plan.ContentRect);
        store.Put(_index++, buffer);
        return true;
    }
}
