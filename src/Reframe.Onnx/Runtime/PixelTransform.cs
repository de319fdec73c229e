namespace Reframe.Onnx.Runtime;

/// <summary>
/// How an 8-bit pixel becomes a model's float and back: per tensor channel, <c>value = byte * Scale + Offset</c>, the
/// tensor's channel <c>c</c> taken from the frame's channel <c>SourceChannel[c]</c> (RGB frames; BGR models swap).
/// </summary>
public sealed record PixelTransform(float[] Scale, float[] Offset, int[] SourceChannel)
{
    /// <summary>0..1 RGB.</summary>
    public static PixelTransform Unit { get; } = FromMeanStd([0f, 0f, 0f], [1f, 1f, 1f], bgr: false);

    /// <summary>(x/255 - mean) / std per channel, the usual normalisation of image classifiers.</summary>
    public static PixelTransform FromMeanStd(IReadOnlyList<float> mean, IReadOnlyList<float> std, bool bgr)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        var scale = new float[3];
        var offset = new float[3];
        for (var c = 0; c < 3; c++)
        {
            scale[c] = 1f / (255f * std[c]);
            offset[c] = -mean[c] / std[c];
        }
        return new PixelTransform(scale, offset, bgr ? [2, 1, 0] : [0, 1, 2]);
    }
}
