using Reframe.Core.Engines;

namespace Reframe.Bench.Interpolation;

/// <summary>Counts frames and drops them: the benchmark times the interpolator, not an encoder behind it.</summary>
internal sealed class NullWriter(int width, int height) : IFrameWriter
{
    public int Width => width;

    public int Height => height;

    public int FrameBytes => width * height * 3;

    public int Frames { get; private set; }

    public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        Frames++;
        return ValueTask.CompletedTask;
    }
}
