using System.Buffers;
using System.Threading.Channels;
using Reframe.Core.Engines;
using Reframe.Media.Ffmpeg;

namespace Reframe.Media.Frames;

/// <summary>
/// Reads rawvideo frames from an ffmpeg process's stdout. A background pump keeps a few frames decoded ahead
/// (bounded channel of pooled buffers) so decoding overlaps with whatever consumes the frames; memory is
/// <c>(prefetch + 1) x frame size</c> whatever the video's length. A truncated last frame counts as the end.
/// </summary>
public sealed class RawVideoReader : IFrameReader, IAsyncDisposable
{
    private readonly FfmpegProcess _process;
    private readonly Channel<byte[]> _frames;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private bool _ended;

    public RawVideoReader(FfmpegProcess process, int width, int height, int prefetchFrames = 3)
    {
        _process = process;
        Width = width;
        Height = height;
        FrameBytes = checked(width * height * 3);
        _frames = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Math.Max(1, prefetchFrames)) { SingleReader = true, SingleWriter = true });
        _pump = Task.Run(PumpAsync);
    }

    public int Width { get; }
    public int Height { get; }
    public int FrameBytes { get; }

    /// <summary>Frames handed out so far.</summary>
    public int FramesRead { get; private set; }

    public async ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }
        if (!await _frames.Reader.WaitToReadAsync(cancellationToken) || !_frames.Reader.TryRead(out var buffer))
        {
            _ended = true;
            await _pump; // surfaces a pump failure (broken pipe, cancelled) instead of a silent short stream
            return false;
        }
        buffer.AsSpan(0, FrameBytes).CopyTo(frame.Span);
        ArrayPool<byte>.Shared.Return(buffer);
        FramesRead++;
        return true;
    }

    /// <summary>After the end of the stream: throws <see cref="FfmpegException"/> if the decoder failed.</summary>
    public Task EnsureSucceededAsync(CancellationToken cancellationToken) => _process.WaitForSuccessAsync(null, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _process.KillAsync();
        try
        {
            await _pump;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // stopping early is the point of disposing
        }
        while (_frames.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left);
        }
        await _process.DisposeAsync();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        var stream = _process.StandardOutput;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(FrameBytes);
                var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, FrameBytes), FrameBytes, throwOnEndOfStream: false, _stop.Token);
                if (read < FrameBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                await _frames.Writer.WriteAsync(buffer, _stop.Token);
            }
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
