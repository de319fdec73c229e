using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules;

/// <summary>
/// Where and in which dtype a module creates its parameters. Parameters are created uninitialised (a
/// checkpoint fills them); on the <c>meta</c> device nothing is allocated at all, which is how the full-size
/// models are checked against the key manifests.
/// </summary>
public sealed record ModuleInit(ScalarType DType, Device Device)
{
    public static ModuleInit CpuFloat32 { get; } = new(ScalarType.Float32, CPU);

    /// <summary>Shapes only: no memory is allocated for any parameter.</summary>
    public static ModuleInit Meta { get; } = new(ScalarType.Float32, new Device("meta"));

    public Parameter Parameter(params long[] shape) => new(empty(shape, DType, Device), requires_grad: false);
}
