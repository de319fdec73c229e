using Reframe.Core.Engines;

namespace Reframe.Media.Frames;

/// <summary>Row copies between packed RGB24 buffers of different sizes.</summary>
public static class FrameGeometry
{
    /// <summary>
    /// Copies <paramref name="region"/> (canvas coordinates, inside <paramref name="sourceRect"/>) from a buffer holding
    /// exactly <paramref name="sourceRect"/> into a canvas buffer <paramref name="canvasWidth"/> pixels wide.
    /// </summary>
    public static void CopyIntoCanvas(ReadOnlySpan<byte> source, PixelRect sourceRect, Span<byte> canvas, int canvasWidth, PixelRect region)
    {
        if (region.IsEmpty)
        {
            return;
        }
        var rowBytes = region.Width * 3;
        var sourceStride = sourceRect.Width * 3;
        var canvasStride = canvasWidth * 3;
        for (var y = region.Y; y < region.Bottom; y++)
        {
            var from = (y - sourceRect.Y) * sourceStride + (region.X - sourceRect.X) * 3;
            var to = y * canvasStride + region.X * 3;
            source.Slice(from, rowBytes).CopyTo(canvas.Slice(to, rowBytes));
        }
    }
}
