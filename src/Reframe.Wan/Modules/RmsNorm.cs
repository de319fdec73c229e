using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Reframe.Wan.Modules;

/// <summary>
/// RMS norm with a learned scale and no bias or mean subtraction: <c>w * (x / sqrt(mean(x^2) + eps))</c> over the
/// last dimension. The statistic is computed in float32 and the normalised value is cast back to the input dtype
/// BEFORE the weight multiplies it, as Wan's <c>WanRMSNorm</c> (and T5's norm) do; this matters in bf16.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _eps;

    // Field name = checkpoint key segment.
    private readonly Parameter weight; // [C]

    public RmsNorm(long dim, double eps, ModuleInit init) : base(nameof(RmsNorm))
    {
        _eps = eps;
        weight = init.Ones(dim);
        register_parameter(nameof(weight), weight);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to_type(ScalarType.Float32);
        var normalised = x32 * x32.square().mean([-1], keepdim: true).add(_eps).rsqrt(); // [..., C]
        return (normalised.to_type(x.dtype) * weight).MoveToOuterDisposeScope();
    }
}
