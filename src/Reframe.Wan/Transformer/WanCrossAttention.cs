using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Text cross-attention of a Wan block (<c>blocks.{i}.cross_attn</c>, t2v variant): queries from the video tokens,
/// keys and values from the embedded text context. No RoPE and NO mask: the context rows the reference zero-padded
/// to <c>text_len</c> take part in the softmax (reproduced on purpose).
/// </summary>
public sealed class WanCrossAttention : nn.Module
{
    private readonly int _heads;

    // Field names = checkpoint key segments.
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly RmsNorm norm_q;
    private readonly RmsNorm norm_k;

    public WanCrossAttention(int dim, int heads, double eps, ModuleInit init) : base(nameof(WanCrossAttention))
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

    /// <param name="x">[B, L, C] video tokens (already normed by norm3).</param>
    /// <param name="context">[B, text_len, C] embedded text.</param>
    /// <returns>[B, L, C].</returns>
    public Tensor Forward(Tensor x, Tensor context)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], l = x.shape[1], c = x.shape[2], lt = context.shape[1];
        long d = c / _heads;
        var query = norm_q.forward(q.forward(x)).view(b, l, _heads, d).transpose(1, 2);         // [B, n, L, d]
        var key = norm_k.forward(k.forward(context)).view(b, lt, _heads, d).transpose(1, 2);    // [B, n, Lt, d]
        var value = v.forward(context).view(b, lt, _heads, d).transpose(1, 2);                  // [B, n, Lt, d]
        var attended = nn.functional.scaled_dot_product_attention(query, key, value);           // [B, n, L, d]
        var merged = attended.transpose(1, 2).reshape(b, l, c);                                 // [B, L, C]
        return o.forward(merged).MoveToOuterDisposeScope();
    }
}
