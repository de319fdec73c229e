using Reframe.Wan.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Text cross-attention of a Wan block (<c>blocks.{i}.cross_attn</c>, t2v variant): queries from the video tokens,
/// keys and values from the embedded text context (see <see cref="WanAttention"/> for the rest). No RoPE and NO mask:
/// the context rows the reference zero-padded to <c>text_len</c> take part in the softmax (reproduced on purpose).
/// </summary>
public sealed class WanCrossAttention(int dim, int heads, double eps, ModuleInit init)
    : WanAttention(nameof(WanCrossAttention), dim, heads, eps, init)
{
    /// <param name="x">[B, L, C] video tokens (already normed by norm3).</param>
    /// <param name="context">[B, text_len, C] embedded text.</param>
    /// <returns>[B, L, C].</returns>
    public Tensor Forward(Tensor x, Tensor context)
    {
        using var scope = NewDisposeScope();
        var (query, key, value) = Project(x, context);              // [B, L, n, d], [B, Lt, n, d] x 2
        return Attend(query, key, value).MoveToOuterDisposeScope(); // [B, L, C]
    }
}
