namespace Reframe.Onnx.Runtime;

/// <summary>How an image tensor lays out its pixels: planes of channels (PyTorch exports) or interleaved channels (TensorFlow exports).</summary>
public enum TensorLayout
{
    /// <summary>[batch, channels, height, width].</summary>
    Nchw,

    /// <summary>[batch, height, width, channels].</summary>
    Nhwc,
}
