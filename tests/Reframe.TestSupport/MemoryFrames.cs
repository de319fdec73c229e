using Reframe.Core.Engines;

namespace Reframe.TestSupport;

/// <summary>Frames from memory, so an engine is tested without ffmpeg (the media pipeline streams them from it).</summary>
public sealed class MemoryFrameReader(int width, int height, IReadOnlyList<byte[]> frames) : IFrameReader
{
    private int _next;

    public int Width => width;
    public int Height => height;
    public int FrameBytes => width * height * 3;

    public ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken)
    {
        if (_next >= frames.Count)
        {
            return ValueTask.FromResult(false);
        }

        frames[_next++].CopyTo(frame);
        return ValueTask.FromResult(true);
    }
}

/// <summary>Collects written frames (copied: engines reuse their buffers).</summary>
public sealed class MemoryFrameWriter(int width, int height) : IFrameWriter
{
    public List<byte[]> Frames { get; } = [];
    public int Width => width;
    public int Height => height;
    public int FrameBytes => width * height * 3;

    public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (frame.Length != FrameBytes)
        {
            throw new ArgumentException($"a frame of {frame.Length} bytes, not {FrameBytes}", nameof(frame));
        }
        Frames.Add(frame.ToArray());
        return ValueTask.CompletedTask;
    }
}
