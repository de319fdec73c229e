using System.Buffers;
using System.Threading.Channels;
using Reframe.Media.Ffmpeg;

namespace Reframe.Media.Frames;

/// <summary>
/// What <see cref="RawVideoReader"/> and <see cref="RawVideoWriter"/> share: an ffmpeg process, a bounded channel of
/// pooled frame buffers between the caller and a background pump (so decoding or encoding overlaps with the caller's
/// work, in <c>(capacity + 1) x frame size</c> of memory), and a teardown that stops the pump and returns every buffer.
/// </summary>
public abstract class RawVideoPipe : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    protected RawVideoPipe(FfmpegProcess process, int width, int height, int capacity)
    {
        Process = process;
        Width = width;
        Height = height;
        FrameBytes = checked(width * height * 3);
        Frames = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Math.Max(1, capacity)) { SingleReader = true, SingleWriter = true });
        // The pump may start before a derived constructor's body runs: pumps use only what this constructor set.
        _pump = Task.Run(PumpAsync);
    }

    public int Width { get; }
    public int Height { get; }
    public int FrameBytes { get; }

    protected FfmpegProcess Process { get; }

    /// <summary>Pooled buffers of <see cref="FrameBytes"/> (rented larger): whoever takes one out returns it.</summary>
    protected Channel<byte[]> Frames { get; }

    /// <summary>The background copy between the channel and the process; it completes the channel's writer when it ends.</summary>
    protected Task Pump => _pump;

    /// <summary>Cancelled when the pipe is disposed.</summary>
    protected CancellationToken Stopping => _stop.Token;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await HaltProcessAsync();
        try
        {
            await _pump;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // stopping early is the point of disposing
        }
        while (Frames.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left);
        }
        await Process.DisposeAsync();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Moves frames between the channel and the process until the stream ends or <see cref="Stopping"/> fires.</summary>
    protected abstract Task PumpAsync();

    /// <summary>How disposing ends the process: a decoder is killed, an encoder is asked to finish.</summary>
    protected abstract Task HaltProcessAsync();
}
