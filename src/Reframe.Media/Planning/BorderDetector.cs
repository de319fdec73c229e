using Reframe.Core.Engines;

namespace Reframe.Media.Planning;

/// <summary>
/// Finds bars burnt into a source (API.md, Canvas step 2): rows/columns at an edge that are flat (one colour
/// across the line) in every sampled frame and keep that colour over time. Pure, over RGB24 frames.
/// A side's trim under <see cref="MediaSettings.BorderMinTrimPixels"/> is ignored; an axis whose trims would
/// take more than <see cref="MediaSettings.BorderMaxTrimFraction"/> is left alone (a flat clip is content).
/// </summary>
public static class BorderDetector
{
    public static PixelRect Detect(IReadOnlyList<byte[]> frames, int width, int height, MediaSettings settings)
    {
        var full = new PixelRect(0, 0, width, height);
        if (frames.Count == 0 || width < 4 || height < 4)
        {
            return full;
        }
        var maxX = (int)(width * settings.BorderMaxTrimFraction);
        var maxY = (int)(height * settings.BorderMaxTrimFraction);

        var top = Scan(frames, width, height, horizontal: true, fromStart: true, maxY, settings);
        var bottom = Scan(frames, width, height, horizontal: true, fromStart: false, maxY, settings);
        var left = Scan(frames, width, height, horizontal: false, fromStart: true, maxX, settings);
        var right = Scan(frames, width, height, horizontal: false, fromStart: false, maxX, settings);

        if (top + bottom > maxY)
        {
            top = bottom = 0;
        }
        if (left + right > maxX)
        {
            left = right = 0;
        }
        var min = settings.BorderMinTrimPixels;
        top = top < min ? 0 : top;
        bottom = bottom < min ? 0 : bottom;
        left = left < min ? 0 : left;
        right = right < min ? 0 : right;
        return new PixelRect(left, top, width - left - right, height - top - bottom);
    }

    /// <summary>How many lines from one edge are bars (stops at the first line that is not).</summary>
    private static int Scan(IReadOnlyList<byte[]> frames, int width, int height, bool horizontal, bool fromStart, int limit, MediaSettings settings)
    {
        var lines = horizontal ? height : width;
        Span<int> edgeColour = stackalloc int[3];
        Span<int> colour = stackalloc int[3];
        Span<int> firstFrameColour = stackalloc int[3];
        var count = 0;
        for (; count <= limit && count < lines; count++)
        {
            var line = fromStart ? count : lines - 1 - count;
            for (var f = 0; f < frames.Count; f++)
            {
                if (!IsFlat(frames[f], width, height, horizontal, line, settings.BorderFlatTolerance, colour))
                {
                    return count;
                }
                if (f == 0)
                {
                    colour.CopyTo(firstFrameColour);
                    if (count == 0)
                    {
                        colour.CopyTo(edgeColour);
                    }
                }
                // The bar keeps its colour over time, and a bar is one colour from the edge inwards.
                if (!Near(colour, firstFrameColour, settings.BorderTemporalTolerance) || !Near(colour, edgeColour, settings.BorderTemporalTolerance))
                {
                    return count;
                }
            }
        }
        return count;
    }

    private static bool IsFlat(byte[] frame, int width, int height, bool horizontal, int line, int tolerance, Span<int> mean)
    {
        var length = horizontal ? width : height;
        var step = horizontal ? 3 : width * 3;
        var start = horizontal ? line * width * 3 : line * 3;
        long r = 0, g = 0, b = 0;
        for (int i = 0, p = start; i < length; i++, p += step)
        {
            r += frame[p];
            g += frame[p + 1];
            b += frame[p + 2];
        }
        mean[0] = (int)(r / length);
        mean[1] = (int)(g / length);
        mean[2] = (int)(b / length);
        for (int i = 0, p = start; i < length; i++, p += step)
        {
            if (Math.Abs(frame[p] - mean[0]) > tolerance || Math.Abs(frame[p + 1] - mean[1]) > tolerance || Math.Abs(frame[p + 2] - mean[2]) > tolerance)
            {
                return false;
            }
        }
        return true;
    }

    private static bool Near(ReadOnlySpan<int> a, ReadOnlySpan<int> b, int tolerance) =>
        Math.Abs(a[0] - b[0]) <= tolerance && Math.Abs(a[1] - b[1]) <= tolerance && Math.Abs(a[2] - b[2]) <= tolerance;
}
