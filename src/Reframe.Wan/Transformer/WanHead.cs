using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// The output head (<c>head.head</c>, <c>head.modulation</c>):
/// <c>head(LN(x) * (1 + (m[1] + e)) + (m[0] + e))</c>, where e is the time EMBEDDING (the output of
/// <c>time_embedding</c>, not the 6-way projection) and LN has no parameters.
/// </summary>
public sealed class WanHead : nn.Module
{
    // Field names = checkpoint key segments.
    private readonly LayerNorm32 norm;     // no parameters, no keys
    private readonly Linear head;          // [out_dim * prod(patch), C]
    private readonly Parameter modulation; // [1, 2, C]

    public WanHead(WanTransformerConfig config, ModuleInit init) : base(nameof(WanHead))
    {
        int outFeatures = config.OutDim * config.PatchSize[0] * config.PatchSize[1] * config.PatchSize[2];
        norm = new LayerNorm32(config.Dim, config.Eps, affine: false, init);
        head = init.Linear(config.Dim, outFeatures);
        modulation = init.Parameter(1, 2, config.Dim);
        register_module(nameof(norm), norm);
        register_module(nameof(head), head);
        register_parameter(nameof(modulation), modulation);
    }

    /// <param name="x">[B, L, C].</param>
    /// <param name="e">[B, C] time embedding.</param>
    /// <returns>[B, L, out_dim * prod(patch)].</returns>
    public Tensor Forward(Tensor x, Tensor e)
    {
        using var scope = NewDisposeScope();
        var m = (modulation + e.unsqueeze(1)).chunk(2, dim: 1);         // 2 x [B, 1, C]
        var y = head.forward(norm.forward(x) * (1 + m[1]) + m[0]);      // [B, L, 64]
        return y.MoveToOuterDisposeScope();
    }
}
