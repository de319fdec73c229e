using Reframe.Core.Engines;

namespace Reframe.Media.Frames;

/// <summary>
/// Yields exactly <c>frameCount</c> frames: the inner stream's, then its last frame repeated. A probe's frame count
/// is an estimate (and 4k+1 snapping may ask for a few more), so the stream is made exact here rather than trusted.
/// A stream with no frame at all is unreadable media.
/// </summary>
public sealed class HoldLastFrameReader(IFrameReader inner, int frameCount) : IFrameReader
{
    private byte[]? _last;
    private int _index;
    private bool _innerEnded;

    public int Width => inner.Width;
    public int Height => inner.Height;
    public int FrameBytes => inner.FrameBytes;

    /// <summary>Frames that came from the inner stream (not repeated).</summary>
    public int DecodedFrames { get; private set; }

    public async ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken)
    {
        if (_index >= frameCount)
        {
            return false;
        }
        if (!_innerEnded && await inner.ReadFrameAsync(frame, cancellationToken))
        {
            _last ??= new byte[FrameBytes];
            frame.Span[..FrameBytes].CopyTo(_last);
            DecodedFrames++;
        }
        else
        {
            _innerEnded = true;
            if (_last is null)
            {
                throw new ReframeFailure(TaskErrorNames.UnsupportedMedia, "no frame of the source video could be decoded; the file may be corrupt");
            }
            _last.CopyTo(frame);
        }
        _index++;
        return true;
    }
}
