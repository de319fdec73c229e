using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules;

/// <summary>
/// Where and in which dtype a module creates its parameters; every module of the port that has parameters takes
/// one. Parameters are created uninitialised (a checkpoint fills them); on the <c>meta</c> device nothing is
/// allocated at all, which is how the full-size models are checked against the key manifests.
/// </summary>
public sealed record ModuleInit(ScalarType DType, Device Device)
{
    public static ModuleInit CpuFloat32 { get; } = new(ScalarType.Float32, CPU);

    /// <summary>Shapes only: no memory is allocated for any parameter (<c>Meta with { DType = ... }</c> for another dtype).</summary>
    public static ModuleInit Meta { get; } = new(ScalarType.Float32, new Device("meta"));

    /// <summary>An uninitialised parameter.</summary>
    public Parameter Parameter(params long[] shape) => new(empty(shape, DType, Device), requires_grad: false);

    /// <summary>A parameter of ones (a norm's scale, the identity until a checkpoint fills it).</summary>
    public Parameter Ones(params long[] shape) => new(ones(shape, DType, Device), requires_grad: false);

    /// <summary>A parameter of zeros (a norm's shift).</summary>
    public Parameter Zeros(params long[] shape) => new(zeros(shape, DType, Device), requires_grad: false);

    /// <summary>TorchSharp's <c>nn.Linear</c> (keys <c>weight</c> <c>[out, in]</c> and <c>bias</c>) here, in this dtype.</summary>
    public Linear Linear(long inFeatures, long outFeatures, bool bias = true) =>
        nn.Linear(inFeatures, outFeatures, hasBias: bias, device: Device, dtype: DType);

    /// <summary>TorchSharp's <c>nn.Conv3d</c> without padding (the patch embeddings), here, in this dtype.</summary>
    public Conv3d Conv3d(long inChannels, long outChannels, (long T, long H, long W) kernel, (long T, long H, long W) stride) =>
        nn.Conv3d(inChannels, outChannels, kernel, stride: stride, device: Device, dtype: DType);
}
