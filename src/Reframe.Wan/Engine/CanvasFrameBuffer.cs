using Reframe.Core.Engines;

namespace Reframe.Wan.Engine;

/// <summary>
/// The canvas frames of the window being denoised, read from the runner's stream as they are needed and dropped as
/// soon as their output is written, so a task holds at most one window of frames (as bytes) whatever the clip's
/// length. Runs on the engine's generation thread, which may block on the stream.
/// </summary>
internal sealed class CanvasFrameBuffer(IFrameReader reader, int frameCount, CancellationToken cancellationToken)
{
    private readonly Dictionary<int, byte[]> _frames = [];
    private int _read;

    /// <summary>The most frames held at once (a test checks it does not grow with the clip).</summary>
    public int PeakHeld { get; private set; }

    /// <summary>Canvas frame <paramref name="index"/> (read up to it if needed).</summary>
    public byte[] this[int index]
    {
        get
        {
            ReadUpTo(index + 1);
            return _frames.TryGetValue(index, out var frame)
                ? frame
                : throw new InvalidOperationException($"canvas frame {index} was already released");
        }
    }

    /// <summary>Reads frames until <paramref name="end"/> (exclusive) are in.</summary>
    public void ReadUpTo(int end)
    {
        while (_read < Math.Min(end, frameCount))
        {
            var frame = new byte[reader.FrameBytes];
            bool got = reader.ReadFrameAsync(frame, cancellationToken).AsTask().GetAwaiter().GetResult();
            if (!got)
            {
                throw new ReframeFailure(TaskErrorNames.EngineFailure, $"The canvas stream ended after {_read} of {frameCount} frames.");
            }

            _frames[_read++] = frame;
            PeakHeld = Math.Max(PeakHeld, _frames.Count);
        }
    }

    /// <summary>Frames [start, start + count).</summary>
    public IReadOnlyList<byte[]> Range(int start, int count) => Enumerable.Range(start, count).Select(i => this[i]).ToList();

    /// <summary>Drops every frame before <paramref name="index"/>: their output is written.</summary>
    public void ReleaseBefore(int index)
    {
        foreach (var key in _frames.Keys.Where(k => k < index).ToList())
        {
            _frames.Remove(key);
        }
    }

    /// <summary>Reads and drops whatever the stream still holds (the contract: an engine reads every canvas frame).</summary>
    public void Drain()
    {
        var scratch = new byte[reader.FrameBytes];
        while (reader.ReadFrameAsync(scratch, cancellationToken).AsTask().GetAwaiter().GetResult())
        {
            // past the planned frames: nothing to keep
        }
    }
}
