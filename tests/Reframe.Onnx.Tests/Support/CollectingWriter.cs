using Reframe.Core.Engines;

namespace Reframe.Onnx.Tests.Support;

/// <summary>Keeps every frame written, losslessly, so a test can compare interpolated pixels exactly (the encoder would round them).</summary>
internal sealed class CollectingWriter(int width, int height) : IFrameWriter
{
    public int Width => width;

    public int Height => height;

    public int FrameBytes => width * height * 3;

    public List<byte[]> Frames { get; } = [];

    public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        Frames.Add(frame[..FrameBytes].ToArray());
        return ValueTask.CompletedTask;
    }
}
