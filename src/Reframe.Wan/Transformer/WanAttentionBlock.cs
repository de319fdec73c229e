using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// One Wan DiT block (<c>blocks.{i}</c>; the VACE blocks extend it). AdaLN: <c>m = modulation + e0</c> gives
/// shift/scale/gate for self-attention then shift/scale/gate for the FFN. The cross-attention branch has no
/// modulation and no gate; its LayerNorm is the affine one, which the checkpoint calls <c>norm3</c> (norm1 and
/// norm2 have no parameters and therefore no keys).
/// </summary>
public class WanAttentionBlock : nn.Module
{
    // Field names = checkpoint key segments.
    private readonly LayerNorm32 norm1;           // no parameters, no keys
    private readonly WanSelfAttention self_attn;
    private readonly LayerNorm32 norm3;           // the cross-attention branch's affine norm
    private readonly WanCrossAttention cross_attn;
    private readonly LayerNorm32 norm2;           // no parameters, no keys
    private readonly Sequential ffn;              // ffn.0 Linear, ffn.1 GELU-tanh, ffn.2 Linear
    private readonly Parameter modulation;        // [1, 6, C]

    public WanAttentionBlock(WanTransformerConfig config, ModuleInit init, string name = nameof(WanAttentionBlock))
        : base(name)
    {
        int dim = config.Dim;
        norm1 = new LayerNorm32(dim, config.Eps, affine: false, init);
        self_attn = new WanSelfAttention(dim, config.NumHeads, config.Eps, init);
        norm3 = new LayerNorm32(dim, config.Eps, affine: true, init);
        cross_attn = new WanCrossAttention(dim, config.NumHeads, config.Eps, init);
        norm2 = new LayerNorm32(dim, config.Eps, affine: false, init);
        ffn = nn.Sequential(("0", init.Linear(dim, config.FfnDim)), ("1", new GeluTanh()), ("2", init.Linear(config.FfnDim, dim)));
        modulation = init.Parameter(1, 6, dim);
        register_module(nameof(norm1), norm1);
        register_module(nameof(self_attn), self_attn);
        register_module(nameof(norm3), norm3);
        register_module(nameof(cross_attn), cross_attn);
        register_module(nameof(norm2), norm2);
        register_module(nameof(ffn), ffn);
        register_parameter(nameof(modulation), modulation);
    }

    /// <param name="x">[B, L, C] tokens.</param>
    /// <param name="e0">[B, 6, C] time projection.</param>
    /// <param name="context">[B, text_len, C] embedded text.</param>
    /// <param name="rope">cos/sin [L, head_dim/2].</param>
    /// <returns>[B, L, C].</returns>
    public Tensor Forward(Tensor x, Tensor e0, Tensor context, (Tensor Cos, Tensor Sin) rope)
    {
        using var scope = NewDisposeScope();
        var m = (modulation + e0).chunk(6, dim: 1);                                  // 6 x [B, 1, C]
        var h1 = norm1.forward(x) * (1 + m[1]) + m[0];                               // [B, L, C]
        x = x + self_attn.Forward(h1, rope) * m[2];                                  // [B, L, C]
        x = x + cross_attn.Forward(norm3.forward(x), context);                       // [B, L, C]
        var h2 = norm2.forward(x) * (1 + m[4]) + m[3];                               // [B, L, C]
        x = x + ffn.forward(h2) * m[5];                                              // [B, L, C]
        return x.MoveToOuterDisposeScope();
    }
}
