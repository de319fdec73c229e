using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Reframe.Wan.Modules;

/// <summary>
/// Wan's <c>WanLayerNorm</c>: a LayerNorm over the last dimension computed in float32 and cast back to the input
/// dtype. Without affine parameters it owns no keys (<c>norm1</c>, <c>norm2</c>, <c>head.norm</c>); with them it
/// owns <c>weight</c> and <c>bias</c> (<c>norm3</c>), applied in float32 before the cast (unlike <see cref="RmsNorm"/>).
/// </summary>
public sealed class LayerNorm32 : nn.Module<Tensor, Tensor>
{
    private readonly long _dim;
    private readonly double _eps;

    // Field names = checkpoint key segments (null when the norm has no affine parameters).
    private readonly Parameter? weight; // [C]
    private readonly Parameter? bias;   // [C]

    public LayerNorm32(long dim, double eps, bool affine, ModuleInit init) : base(nameof(LayerNorm32))
    {
        _dim = dim;
        _eps = eps;
        if (affine)
        {
            weight = init.Ones(dim);
            bias = init.Zeros(dim);
            register_parameter(nameof(weight), weight);
            register_parameter(nameof(bias), bias);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to_type(ScalarType.Float32);
        var w = weight?.to_type(ScalarType.Float32);
        var b = bias?.to_type(ScalarType.Float32);
        var y = nn.functional.layer_norm(x32, [_dim], w, b, _eps); // [..., C]
        return y.to_type(x.dtype).MoveToOuterDisposeScope();
    }
}
