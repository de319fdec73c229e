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
public sealed class RawVideoWriter : RawVideoPipe, IFrameWriter
{
    private bool _encoderDone;

    public RawVideoWriter(FfmpegProcess process, int width, int height, int queuedFrames = 3)
        : base(process, width, height, queuedFrames)
    {
    }

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
        if (Pump.IsCompleted)
        {
            await FailFromEncoderAsync(cancellationToken);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(FrameBytes);
        frame.Span[..FrameBytes].CopyTo(buffer);
        try
        {
            await Frames.Writer.WriteAsync(buffer, cancellationToken);
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
        Frames.Writer.TryComplete();
        try
        {
            await Pump.WaitAsync(cancellationToken);
        }
        catch (IOException)
        {
            // the encoder closed its input early; its exit code and stderr tell why
        }
        await Process.WaitForSuccessAsync(finishTimeout, cancellationToken);
    }

    protected override Task HaltProcessAsync()
    {
        Frames.Writer.TryComplete();
        return Process.StopAsync();
    }

    /// <summary>
    /// The pump stopped: the encoder exited or broke its pipe. A failure throws with its exit code and stderr; a
    /// success means it already wrote the frames it was asked for (-frames:v), so further frames are dropped.
    /// </summary>
    private async Task FailFromEncoderAsync(CancellationToken cancellationToken)
    {
        await Process.WaitForSuccessAsync(TimeSpan.FromSeconds(10), cancellationToken);
        _encoderDone = true;
    }

    protected override async Task PumpAsync()
    {
        var stdin = Process.StandardInput;
        try
        {
            await foreach (var buffer in Frames.Reader.ReadAllAsync(Stopping))
            {
                try
                {
                    await stdin.WriteAsync(buffer.AsMemory(0, FrameBytes), Stopping);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            await stdin.FlushAsync(Stopping);
        }
        finally
        {
            Frames.Writer.TryComplete();
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
