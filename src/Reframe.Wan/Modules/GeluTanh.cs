using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules;

/// <summary>GELU with the tanh approximation (<c>nn.GELU(approximate='tanh')</c>), used by the DiT and T5.</summary>
public sealed class GeluTanh : nn.Module<Tensor, Tensor>
{
    public GeluTanh() : base(nameof(GeluTanh))
    {
    }

    public override Tensor forward(Tensor x) => nn.functional.gelu(x, approximate: TorchSharp.Modules.GELU.Approximate.tanh);
}
