using Reframe.Core.Engines;

namespace Reframe.Wan.Engine;

/// <summary>
/// The one paste-back of a Wan task: inside the keep rectangle every output frame gets the canvas frame's own
/// bytes (the source as placed), and a pinned anchor frame is the anchor image whole. Done on the final 8-bit frames,
/// after windows are blended, so the kept pixels are exactly the source's.
/// </summary>
internal static class KeptSourcePaste
{
    public static void Apply(byte[] output, byte[] canvas, EngineJob job, int frameIndex)
    {
        if (AnchorFor(job, frameIndex) is { } anchor)
        {
            anchor.CopyTo(output, 0);
            return;
        }

        var keep = job.KeepRect;
        if (keep.IsEmpty)
        {
            return;
        }

        int rowBytes = keep.Width * 3;
        for (int y = keep.Y; y < keep.Bottom; y++)
        {
            int offset = (y * job.Width + keep.X) * 3;
            Buffer.BlockCopy(canvas, offset, output, offset, rowBytes);
        }
    }

    /// <summary>The anchor image pinned at this frame, if any (the first frame's, or the last kept frame's).</summary>
    public static byte[]? AnchorFor(EngineJob job, int frameIndex) =>
        frameIndex == 0 && job.FirstFrame is { } first ? first
        : frameIndex == job.LastFrameIndex && job.LastFrame is { } last ? last
        : null;
}
