namespace Reframe.Wan.Pipelines;

/// <summary>One denoising window: frames [Start, Start + Length) of the clip; the first Overlap of them are shared with the previous window.</summary>
public readonly record struct ClipWindow(int Index, int Start, int Length, int Overlap)
{
    public int End => Start + Length;
}

/// <summary>
/// Splits a clip into windows of at most <c>windowFrames</c> (4k+1) that overlap by at least <c>overlap</c> frames.
/// Windows advance by <c>windowFrames - overlap</c>; the last one is shortened to the smallest 4k+1 length that
/// reaches the clip's end (so it costs no more than it must) and starts earlier when that needs more overlap.
/// A clip that fits one window is one window: exactly the single-pass computation.
/// </summary>
public static class SlidingWindows
{
    public static IReadOnlyList<ClipWindow> Plan(int frames, int windowFrames, int overlap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        if (windowFrames < 5 || (windowFrames - 1) % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(windowFrames), windowFrames, "must be 4k+1 and at least 5");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(overlap, windowFrames - 5);
        if (frames <= windowFrames)
        {
            return [new ClipWindow(0, 0, frames, 0)];
        }

        int stride = windowFrames - overlap;
        int count = 1 + (frames - windowFrames + stride - 1) / stride;
        var windows = new List<ClipWindow>(count);
        for (int i = 0; i < count - 1; i++)
        {
            int start = i * stride;
            windows.Add(new ClipWindow(i, start, windowFrames, i == 0 ? 0 : windows[^1].End - start));
        }

        // The last window: what is left from its nominal start, at least overlap + 1 frames, snapped up to 4k+1.
        int nominal = (count - 1) * stride;
        int needed = Math.Max(frames - nominal, overlap + 1);
        int length = Math.Min(windowFrames, (needed - 1 + 3) / 4 * 4 + 1);
        int lastStart = frames - length;
        windows.Add(new ClipWindow(count - 1, lastStart, length, windows[^1].End - lastStart));
        return windows;
    }
}
