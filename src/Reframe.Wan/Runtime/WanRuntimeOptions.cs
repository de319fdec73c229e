namespace Reframe.Wan.Runtime;

/// <summary>
/// What the user asks for: a device (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) and a dtype
/// (<c>auto</c>, <c>float32</c>, <c>bfloat16</c>). <c>auto</c> means CUDA with bfloat16 when a CUDA build of libtorch
/// and a GPU are present, else CPU with float32.
/// </summary>
public sealed record WanRuntimeOptions
{
    public string Device { get; init; } = "auto";

    public string DType { get; init; } = "auto";

    /// <summary>
    /// TF32 matmuls/convolutions on Ampere+ GPUs. Off by default: TF32 keeps 10 mantissa bits (~5e-4 relative
    /// rounding per operand), above the parity limits, and libtorch enables it for cuDNN convolutions by default.
    /// </summary>
    public bool AllowTf32 { get; init; }

    /// <summary>libtorch intra-op CPU threads; null leaves libtorch's default.</summary>
    public int? CpuThreads { get; init; }
}
