using Reframe.Core.Engines;
using Reframe.Media.Interpolation;
using Reframe.Onnx.Runtime;

namespace Reframe.Onnx.Interpolation;

/// <summary>
/// Between each frame written and the next, writes <c>factor - 1</c> frames made by the network at t = 1/factor,
/// 2/factor, ... (so the output is frame 0, the frames towards frame 1, frame 1, ...), at most <c>maxOutputFrames</c>
/// in all. The generated frames themselves pass through unchanged. Each frame is converted to a padded tensor once
/// and kept as the next pair's first frame.
/// </summary>
internal sealed class OnnxInterpolatingWriter : IInterpolatingWriter
{
    private readonly OnnxFrameInterpolator _network;
    private readonly IFrameWriter _downstream;
    private readonly int _factor;
    private readonly int _maxOutputFrames;
    private readonly int _tensorWidth;
    private readonly int _tensorHeight;
    private readonly byte[] _between;
    private readonly float[] _output;
    private float[]? _previous;
    private float[]? _spare;
    private float[]? _scratch;
    private int _written;

    public OnnxInterpolatingWriter(OnnxFrameInterpolator network, IFrameWriter downstream, int factor, int maxOutputFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        _network = network;
        _downstream = downstream;
        _factor = factor;
        _maxOutputFrames = maxOutputFrames;
        _tensorWidth = ImageTensors.PadTo(downstream.Width, network.PadMultiple);
        _tensorHeight = ImageTensors.PadTo(downstream.Height, network.PadMultiple);
        _between = new byte[downstream.FrameBytes];
        _output = new float[3 * _tensorWidth * _tensorHeight];
    }

    public int Width => _downstream.Width;

    public int Height => _downstream.Height;

    public int FrameBytes => _downstream.FrameBytes;

    /// <summary>Frames made by the network so far.</summary>
    public int Interpolated { get; private set; }

    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (_written >= _maxOutputFrames)
        {
            return;
        }
        var current = _spare ?? new float[3 * _tensorWidth * _tensorHeight];
        ImageTensors.Write(frame.Span, Width, Height, current, _tensorWidth, _tensorHeight, _network.Layout, _network.Transform);
        if (_previous is not null)
        {
            for (var i = 1; i < _factor && _written < _maxOutputFrames; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _network.Interpolate(_previous, current, (float)i / _factor, _tensorWidth, _tensorHeight, ref _scratch, _output);
                ImageTensors.Read(_output, _tensorWidth, _tensorHeight, _network.Layout, _network.Transform, _between, Width, Height);
                await _downstream.WriteFrameAsync(_between, cancellationToken).ConfigureAwait(false);
                _written++;
                Interpolated++;
            }
        }
        if (_written < _maxOutputFrames)
        {
            await _downstream.WriteFrameAsync(frame, cancellationToken).ConfigureAwait(false);
            _written++;
        }
        (_previous, _spare) = (current, _previous);
    }

    /// <summary>Nothing is held back: every frame is written as soon as the next one arrives, and the last needs no next.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
