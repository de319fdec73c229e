using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>
/// Wan's <c>T5LayerNorm</c>: an RMS norm, <c>weight * x * rsqrt(mean(x^2) + eps)</c>, no mean subtraction, no
/// bias. The statistic is taken in float32; with a half-precision weight the normalised value is cast to the
/// weight's dtype BEFORE the multiply, as the reference does.
/// </summary>
public sealed class T5LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _eps;

    public Parameter weight;

    public T5LayerNorm(int dim, double eps = Umt5Config.NormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(T5LayerNorm))
    {
        _eps = eps;
        weight = nn.Parameter(ones(dim, dtype ?? float32, device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var normed = x * x.to(ScalarType.Float32).pow(2).mean([-1], keepdim: true).add(_eps).rsqrt(); // [B, L, C]
        if (weight.dtype is ScalarType.Float16 or ScalarType.BFloat16)
        {
            normed = normed.to(weight.dtype);
        }
        return (weight * normed).MoveToOuterDisposeScope(); // [B, L, C]
    }
}
