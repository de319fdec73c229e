using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// One tensor as a checkpoint file describes it, before anything is read: name, stored dtype, shape, and where its
/// bytes lie. <see cref="Offset"/> is absolute in <see cref="FilePath"/> (for a <c>.pth</c>, in the zip file).
/// </summary>
public sealed record CheckpointTensorInfo(
    string Name,
    ScalarType DType,
    long[] Shape,
    string FilePath,
    long Offset,
    long ByteLength)
{
    /// <summary>Number of elements (1 for a scalar, whose shape is empty).</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => checked(n * d));

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
