namespace Reframe.Core.Engines;

/// <summary>A forward-only stream of fixed-size raw frames (e.g. ffmpeg rawvideo on a pipe).</summary>
public interface IFrameReader
{
    int Width { get; }
    int Height { get; }

    /// <summary>Bytes per frame.</summary>
    int FrameBytes { get; }

    /// <summary>Fills <paramref name="frame"/> with the next frame; false at the end of the stream.</summary>
    ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken);
}

/// <summary>A sink of fixed-size raw frames (e.g. the encoder's stdin).</summary>
public interface IFrameWriter
{
    int Width { get; }
    int Height { get; }
    int FrameBytes { get; }

    ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);
}
