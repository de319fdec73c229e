using Reframe.Onnx.Runtime;

namespace Reframe.Onnx.Tests.Runtime;

public sealed class ImageTensorsTests
{
    // A 3x2 frame whose every byte is distinct: pixel (x, y) channel c = 10 (y * 3 + x) + c.
    private static readonly byte[] Frame = [.. Enumerable.Range(0, 3 * 2 * 3).Select(i => (byte)(10 * (i / 3) + i % 3))];

    [Fact]
    public void Write_Nchw_PutsChannelPlanesFirst_AndRepeatsTheLastColumnAndRowIntoThePadding()
    {
        var tensor = new float[3 * 4 * 4];
        ImageTensors.Write(Frame, 3, 2, tensor, 4, 4, TensorLayout.Nchw, new PixelTransform([1f, 1f, 1f], [0f, 0f, 0f], [0, 1, 2]));
        // green plane (c = 1), row 0: pixels 0, 1, 2 then the padding repeats pixel 2
        Assert.Equal([1f, 11f, 21f, 21f], tensor.AsSpan(16, 4).ToArray());
        // rows 2 and 3 are padding: copies of row 1 (pixels 3, 4, 5, 5)
        Assert.Equal([31f, 41f, 51f, 51f], tensor.AsSpan(16 + 8, 4).ToArray());
        Assert.Equal([31f, 41f, 51f, 51f], tensor.AsSpan(16 + 12, 4).ToArray());
    }

    [Fact]
    public void Write_Nhwc_InterleavesChannels_AndSwapsThemForBgr()
    {
        var tensor = new float[3 * 4 * 2];
        ImageTensors.Write(Frame, 3, 2, tensor, 4, 2, TensorLayout.Nhwc, PixelTransform.FromMeanStd([0f, 0f, 0f], [1f / 255, 1f / 255, 1f / 255], bgr: true));
        // pixel (1, 0) is R=10, G=11, B=12: written B, G, R
        Assert.Equal([12f, 11f, 10f], tensor.AsSpan(3, 3).ToArray());
        // pixel (3, 1) is padding: pixel (2, 1) = 50, 51, 52
        Assert.Equal([52f, 51f, 50f], tensor.AsSpan((1 * 4 + 3) * 3, 3).ToArray());
    }

    [Theory]
    [InlineData(TensorLayout.Nchw, false)]
    [InlineData(TensorLayout.Nhwc, false)]
    [InlineData(TensorLayout.Nchw, true)]
    public void Read_UndoesWrite_CroppingThePadding(TensorLayout layout, bool signed)
    {
        var transform = signed ? PixelTransform.FromMeanStd([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f], bgr: false) : PixelTransform.Unit;
        var tensor = new float[3 * 32 * 32];
        ImageTensors.Write(Frame, 3, 2, tensor, 32, 32, layout, transform);
        var back = new byte[Frame.Length];
        ImageTensors.Read(tensor, 32, 32, layout, transform, back, 3, 2);
        Assert.Equal(Frame, back);
    }

    [Fact]
    public void Read_ClampsOutOfRangeValues()
    {
        float[] tensor = [-0.5f, 2f, 0.502f];
        var rgb = new byte[3];
        ImageTensors.Read(tensor, 1, 1, TensorLayout.Nhwc, PixelTransform.Unit, rgb, 1, 1);
        Assert.Equal([0, 255, 128], rgb);
    }

    [Theory]
    [InlineData(480, 32, 480)]
    [InlineData(480, 64, 512)]
    [InlineData(833, 1, 833)]
    [InlineData(1, 64, 64)]
    public void PadTo_RoundsUpToTheMultiple(int size, int multiple, int expected) => Assert.Equal(expected, ImageTensors.PadTo(size, multiple));
}
