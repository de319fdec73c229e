using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Self-attention of a Wan block (<c>blocks.{i}.self_attn</c>): q/k/v/o projections with biases, q and k RMS-normed
/// over the FULL width (all heads together, not per head), 3-D RoPE on q and k, unmasked softmax attention with
/// the default 1/sqrt(head_dim) scale.
/// </summary>
public sealed class WanSelfAttention : nn.Module
{
    private readonly int _heads;

    // Field names = checkpoint key segments.
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly RmsNorm norm_q;
    private readonly RmsNorm norm_k;

    public WanSelfAttention(int dim, int heads, double eps, ModuleInit init) : base(nameof(WanSelfAttention))
    {
        _heads = heads;
        q = init.Linear(dim, dim);
        k = init.Linear(dim, dim);
        v = init.Linear(dim, dim);
        o = init.Linear(dim, dim);
        norm_q = new RmsNorm(dim, eps, init);
        norm_k = new RmsNorm(dim, eps, init);
        register_module(nameof(q), q);
        register_module(nameof(k), k);
        register_module(nameof(v), v);
        register_module(nameof(o), o);
        register_module(nameof(norm_q), norm_q);
        register_module(nameof(norm_k), norm_k);
    }

    /// <param name="x">[B, L, C].</param>
    /// <param name="rope">cos/sin tables [L, head_dim/2].</param>
    /// <returns>[B, L, C].</returns>
    public Tensor Forward(Tensor x, (Tensor Cos, Tensor Sin) rope)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], l = x.shape[1], c = x.shape[2];
        long d = c / _heads;
        var query = norm_q.forward(q.forward(x)).view(b, l, _heads, d);     // [B, L, n, d]
        var key = norm_k.forward(k.forward(x)).view(b, l, _heads, d);       // [B, L, n, d]
        var value = v.forward(x).view(b, l, _heads, d);                     // [B, L, n, d]
        query = RopeFrequencies.Apply(query, rope.Cos, rope.Sin);
        key = RopeFrequencies.Apply(key, rope.Cos, rope.Sin);
        var attended = nn.functional.scaled_dot_product_attention(
            query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2)); // [B, n, L, d]
        var merged = attended.transpose(1, 2).reshape(b, l, c);                // [B, L, C]
        return o.forward(merged).MoveToOuterDisposeScope();
    }
}
