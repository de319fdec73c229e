using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// What a Wan block's self- and cross-attention share (keys <c>q, k, v, o, norm_q, norm_k</c> in both): q/k/v/o
/// projections with biases, q and k RMS-normed over the FULL width (all heads together, not per head), and unmasked
/// softmax attention with the default 1/sqrt(head_dim) scale. The subclasses say where keys and values come from.
/// </summary>
public abstract class WanAttention : nn.Module
{
    private readonly int _heads;

    // Field names = checkpoint key segments.
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly RmsNorm norm_q;
    private readonly RmsNorm norm_k;

    protected WanAttention(string name, int dim, int heads, double eps, ModuleInit init) : base(name)
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

    /// <summary>Normed queries from <paramref name="x"/> [B, L, C], normed keys and values from <paramref name="source"/> [B, Ls, C], split into heads.</summary>
    /// <returns>[B, L, n, d], [B, Ls, n, d], [B, Ls, n, d].</returns>
    protected (Tensor Query, Tensor Key, Tensor Value) Project(Tensor x, Tensor source)
    {
        long b = x.shape[0], l = x.shape[1], ls = source.shape[1];
        long d = x.shape[2] / _heads;
        var query = norm_q.forward(q.forward(x)).view(b, l, _heads, d);            // [B, L, n, d]
        var key = norm_k.forward(k.forward(source)).view(b, ls, _heads, d);        // [B, Ls, n, d]
        var value = v.forward(source).view(b, ls, _heads, d);                      // [B, Ls, n, d]
        return (query, key, value);
    }

    /// <summary>softmax(q k^T / sqrt(d)) v per head, the heads merged, then <c>o</c>.</summary>
    /// <param name="query">[B, L, n, d].</param>
    /// <param name="key">[B, Ls, n, d].</param>
    /// <param name="value">[B, Ls, n, d].</param>
    /// <returns>[B, L, C].</returns>
    protected Tensor Attend(Tensor query, Tensor key, Tensor value)
    {
        long b = query.shape[0], l = query.shape[1];
        var attended = nn.functional.scaled_dot_product_attention(
            query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2));       // [B, n, L, d]
        var merged = attended.transpose(1, 2).reshape(b, l, _heads * query.shape[3]); // [B, L, C]
        return o.forward(merged);
    }
}
