using System.Buffers;
using Reframe.Core.Engines;
using Reframe.Media.Ffmpeg;

namespace Reframe.Media.Frames;

/// <summary>
/// Reads rawvideo frames from an ffmpeg process's stdout. A background pump keeps a few frames decoded ahead
/// (bounded channel of pooled buffers) so decoding overlaps with whatever consumes the frames; memory is
/// <c>(prefetch + 1) x frame size</c> whatever the video's length. A truncated last frame counts as the end.
/// </summary>
public sealed class RawVideoReader : RawVideoPipe, IFrameReader
{
    private bool _ended;

    public RawVideoReader(FfmpegProcess process, int width, int height, int prefetchFrames = 3)
        : base(process, width, height, prefetchFrames)
    {
    }

    /// <summary>Frames handed out so far.</summary>
    public int FramesRead { get; private set; }

    public async ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }
        if (!await Frames.Reader.WaitToReadAsync(cancellationToken) || !Frames.Reader.TryRead(out var buffer))
        {
            _ended = true;
            await Pump; // surfaces a pump failure (broken pipe, cancelled) instead of a silent short stream
            return false;
        }
        buffer.AsSpan(0, FrameBytes).CopyTo(frame.Span);
        ArrayPool<byte>.Shared.Return(buffer);
        FramesRead++;
        return true;
    }

    /// <summary>After the end of the stream: throws <see cref="FfmpegException"/> if the decoder failed.</summary>
    public Task EnsureSucceededAsync(CancellationToken cancellationToken) => Process.WaitForSuccessAsync(null, cancellationToken);

    protected override Task HaltProcessAsync() => Process.KillAsync();

    protected override async Task PumpAsync()
    {
        var stream = Process.StandardOutput;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(FrameBytes);
                var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, FrameBytes), FrameBytes, throwOnEndOfStream: false, Stopping);
                if (read < FrameBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                await Frames.Writer.WriteAsync(buffer, Stopping);
            }
        }
        finally
        {
            Frames.Writer.TryComplete();
        }
    }
}
