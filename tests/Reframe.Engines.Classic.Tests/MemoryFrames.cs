using Reframe.Core.Engines;

namespace Reframe.Engines.Classic.Tests;

/// <summary>Canvas frames from memory, so the engine is tested without ffmpeg.</summary>
internal sealed class MemoryFrameReader(int width, int height, IReadOnlyList<byte[]> frames) : IFrameReader
{
    private int _next;

    public int Width => width;
    public int Height => height;
    public int FrameBytes => width * height * 3;

    public ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken)
    {
        if (_next == frames.Count)
        {
            return ValueTask.FromResult(false);
        }
        frames[_next++].CopyTo(frame);
        return ValueTask.FromResult(true);
    }
}

/// <summary>Keeps every frame the engine writes (copied: the engine reuses its buffer).</summary>
internal sealed class MemoryFrameWriter(int width, int height) : IFrameWriter
{
    public List<byte[]> Frames { get; } = [];

    public int Width => width;
    public int Height => height;
    public int FrameBytes => width * height * 3;

    public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        Frames.Add(frame.ToArray());
        return ValueTask.CompletedTask;
    }
}
