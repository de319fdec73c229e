using System.Buffers;
using System.Threading.Channels;
using Reframe.Core.Engines;
using Reframe.Media.Ffmpeg;

namespace Reframe.Media.Frames;

/// <summary>
/// Writes rawvideo frames to an ffmpeg process's stdin. Writes are queued (bounded, pooled buffers) and pumped
/// by a background task, so the producer fills the next frame while the encoder swallows this one.
/// <see cref="CompleteAsync"/> closes stdin and waits for the encoder to finish the file.
/// </summary>
public sealed class RawVideoWriter : IFrameWriter, IAsyncDisposable
{
    private readonly FfmpegProcess _process;
    private readonly Channel<byte[]> _frames;
    private readonly Task _pump;
    private readonly CancellationTokenSource _stop = new();
    private bool _encoderDone;

    public RawVideoWriter(FfmpegProcess process, int width, int height, int queuedFrames = 3)
    {
        _process = process;
        Width = width;
        Height = height;
        FrameBytes = checked(width * height * 3);
        _frames = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Math.Max(1, queuedFrames)) { SingleReader = true, SingleWriter = true });
        _pump = Task.Run(PumpAsync);
    }

    public int Width { get; }
    public int Height { get; }
    public int FrameBytes { get; }

    public int FramesWritten { get; private set; }

    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (frame.Length < FrameBytes)
        {
            throw new ArgumentException($"a frame is {FrameBytes} bytes; got {frame.Length}", nameof(frame));
        }
        if (_encoderDone)
        {
            return;
        }
        if (_pump.IsCompleted)
        {
            await FailFromEncoderAsync(cancellationToken);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(FrameBytes);
        frame.Span[..FrameBytes].CopyTo(buffer);
        try
        {
            await _frames.Writer.WriteAsync(buffer, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await FailFromEncoderAsync(cancellationToken);
            return;
        }
        FramesWritten++;
    }

    /// <summary>Sends the end of the stream and waits (bounded) for the encoder to exit successfully.</summary>
    public async Task CompleteAsync(TimeSpan finishTimeout, CancellationToken cancellationToken)
    {
        _frames.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(cancellationToken);
        }
        catch (IOException)
        {
            // the encoder closed its input early; its exit code and stderr tell why
        }
        await _process.WaitForSuccessAsync(finishTimeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _frames.Writer.TryComplete();
        await _stop.CancelAsync();
        await _process.StopAsync();
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

    /// <summary>
    /// The pump stopped: the encoder exited or broke its pipe. A failure throws with its exit code and stderr; a
    /// success means it already wrote the frames it was asked for (-frames:v), so further frames are dropped.
    /// </summary>
    private async Task FailFromEncoderAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForSuccessAsync(TimeSpan.FromSeconds(10), cancellationToken);
        _encoderDone = true;
    }

    private async Task PumpAsync()
    {
        var stdin = _process.StandardInput;
        try
        {
            await foreach (var buffer in _frames.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    await stdin.WriteAsync(buffer.AsMemory(0, FrameBytes), _stop.Token);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            await stdin.FlushAsync(_stop.Token);
        }
        finally
        {
            _frames.Writer.TryComplete();
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // already broken
            }
        }
    }
}
