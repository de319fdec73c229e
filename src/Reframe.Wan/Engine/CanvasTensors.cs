using Reframe.Core.Engines;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>Packed RGB24 frames to and from the pipeline's tensors, and the masks of a window.</summary>
public static class CanvasTensors
{
    /// <summary>RGB24 frames to [1, 3, F, H, W] float32 in [0, 1].</summary>
    public static Tensor ToVideo(IReadOnlyList<byte[]> frames, int width, int height, Device device)
    {
        using var scope = NewDisposeScope();
        var packed = new byte[(long)frames.Count * width * height * 3];
        for (int i = 0; i < frames.Count; i++)
        {
            frames[i].CopyTo(packed, (long)i * frames[i].Length);
        }

        var bytes = tensor(packed, [frames.Count, height, width, 3], ScalarType.Byte);          // [F, H, W, 3]
        var video = bytes.permute(3, 0, 1, 2).unsqueeze(0).to_type(ScalarType.Float32) / 255.0; // [1, 3, F, H, W]
        return video.to(device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [1, 1, L, H, W] for one window: 1 (generate) outside <see cref="EngineJob.KeepRect"/>, 0 (keep) inside; the
    /// window's first <see cref="Pipelines.ClipWindow.Overlap"/> frames (the previous window's tail) and pinned anchor
    /// frames are kept whole.
    /// </summary>
    public static Tensor WindowMask(EngineJob job, Pipelines.ClipWindow window, Device device)
    {
        ArgumentNullException.ThrowIfNull(job);
        var mask = ones([1, 1, window.Length, job.Height, job.Width], dtype: ScalarType.Float32);
        var keep = job.KeepRect;
        if (!keep.IsEmpty)
        {
            mask[.., .., .., keep.Y..keep.Bottom, keep.X..keep.Right] = 0;
        }

        if (window.Overlap > 0)
        {
            mask[.., .., ..window.Overlap] = 0;
        }

        for (int i = 0; i < window.Length; i++)
        {
            if (KeptSourcePaste.AnchorFor(job, window.Start + i) is not null)
            {
                mask[.., .., i] = 0;
            }
        }

        return mask.to(device);
    }

    /// <summary>[1, 1, 1, H, W] float32: 1 where the canvas is generated (outside the keep rectangle).</summary>
    public static Tensor GeneratedArea(EngineJob job, Device device)
    {
        ArgumentNullException.ThrowIfNull(job);
        var area = ones([1, 1, 1, job.Height, job.Width], dtype: ScalarType.Float32);
        var keep = job.KeepRect;
        if (!keep.IsEmpty)
        {
            area[.., .., .., keep.Y..keep.Bottom, keep.X..keep.Right] = 0;
        }

        return area.to(device);
    }

    /// <summary>
    /// [1, 3, F, H, W] in [0, 1] to RGB24 frames. Values are scaled by 255 and truncated, as the reference saves
    /// its frames (<c>uint8(x * 255)</c>).
    /// </summary>
    public static byte[][] ToFrames(Tensor video)
    {
        using var scope = NewDisposeScope();
        var bytes = (video[0].clamp(0, 1) * 255).to_type(ScalarType.Byte)   // [3, F, H, W], truncation
            .permute(1, 2, 3, 0).contiguous().cpu();                           // [F, H, W, 3]
        long frameCount = bytes.shape[0];
        long frameBytes = bytes.shape[1] * bytes.shape[2] * 3;
        var all = bytes.data<byte>().ToArray();
        var frames = new byte[frameCount][];
        for (int i = 0; i < frameCount; i++)
        {
            frames[i] = all.AsSpan((int)(i * frameBytes), (int)frameBytes).ToArray();
        }

        return frames;
    }
}
