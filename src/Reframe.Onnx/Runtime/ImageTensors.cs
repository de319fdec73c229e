namespace Reframe.Onnx.Runtime;

/// <summary>
/// rgb24 frames to float image tensors and back, in either layout, with the padding an interpolation network needs:
/// the tensor may be larger than the frame, and the extra columns and rows repeat the frame's last column and row
/// (edge padding, so the network sees no artificial black border to track), and are cut off again on the way back.
/// </summary>
public static class ImageTensors
{
    /// <summary>Writes one frame into <paramref name="tensor"/> (3 x tensorHeight x tensorWidth floats for batch 1).</summary>
    public static void Write(ReadOnlySpan<byte> rgb, int width, int height, Span<float> tensor, int tensorWidth, int tensorHeight,
        TensorLayout layout, PixelTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        Check(rgb.Length, width, height, tensor.Length, tensorWidth, tensorHeight);
        var plane = tensorWidth * tensorHeight;
        for (var ty = 0; ty < tensorHeight; ty++)
        {
            var row = rgb.Slice(Math.Min(ty, height - 1) * width * 3, width * 3);
            for (var c = 0; c < 3; c++)
            {
                var scale = transform.Scale[c];
                var offset = transform.Offset[c];
                var source = transform.SourceChannel[c];
                if (layout == TensorLayout.Nchw)
                {
                    var line = tensor.Slice(c * plane + ty * tensorWidth, tensorWidth);
                    for (var x = 0; x < width; x++)
                    {
                        line[x] = row[x * 3 + source] * scale + offset;
                    }
                    line[width..].Fill(line[width - 1]);
                }
                else
                {
                    var line = tensor.Slice(ty * tensorWidth * 3, tensorWidth * 3);
                    for (var x = 0; x < tensorWidth; x++)
                    {
                        line[x * 3 + c] = row[Math.Min(x, width - 1) * 3 + source] * scale + offset;
                    }
                }
            }
        }
    }

    /// <summary>Reads the top-left <paramref name="width"/> x <paramref name="height"/> of a tensor back into rgb24 (rounded, clamped).</summary>
    public static void Read(ReadOnlySpan<float> tensor, int tensorWidth, int tensorHeight, TensorLayout layout, PixelTransform transform,
        Span<byte> rgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(transform);
        Check(rgb.Length, width, height, tensor.Length, tensorWidth, tensorHeight);
        var plane = tensorWidth * tensorHeight;
        for (var c = 0; c < 3; c++)
        {
            var inverse = 1f / transform.Scale[c];
            var offset = transform.Offset[c];
            var target = transform.SourceChannel[c];
            for (var y = 0; y < height; y++)
            {
                var row = rgb.Slice(y * width * 3, width * 3);
                for (var x = 0; x < width; x++)
                {
                    var value = layout == TensorLayout.Nchw ? tensor[c * plane + y * tensorWidth + x] : tensor[(y * tensorWidth + x) * 3 + c];
                    var b = (value - offset) * inverse;
                    row[x * 3 + target] = b <= 0f ? (byte)0 : b >= 255f ? (byte)255 : (byte)(b + 0.5f);
                }
            }
        }
    }

    /// <summary>The smallest multiple of <paramref name="multiple"/> that holds <paramref name="size"/>.</summary>
    public static int PadTo(int size, int multiple) => multiple <= 1 ? size : (size + multiple - 1) / multiple * multiple;

    private static void Check(int rgbLength, int width, int height, int tensorLength, int tensorWidth, int tensorHeight)
    {
        if (width < 1 || height < 1 || tensorWidth < width || tensorHeight < height)
        {
            throw new ArgumentException($"a {width}x{height} frame does not fit a {tensorWidth}x{tensorHeight} tensor");
        }
        if (rgbLength < width * height * 3 || tensorLength < tensorWidth * tensorHeight * 3)
        {
            throw new ArgumentException("buffer too small for the sizes given");
        }
    }
}
