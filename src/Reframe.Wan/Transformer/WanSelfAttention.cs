using Reframe.Wan.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Self-attention of a Wan block (<c>blocks.{i}.self_attn</c>): queries, keys and values from the same tokens, 3-D
/// RoPE on the normed q and k (see <see cref="WanAttention"/> for the rest).
/// </summary>
public sealed class WanSelfAttention(int dim, int heads, double eps, ModuleInit init)
    : WanAttention(nameof(WanSelfAttention), dim, heads, eps, init)
{
    /// <param name="x">[B, L, C].</param>
    /// <param name="rope">cos/sin tables [L, head_dim/2].</param>
    /// <returns>[B, L, C].</returns>
    public Tensor Forward(Tensor x, (Tensor Cos, Tensor Sin) rope)
    {
        using var scope = NewDisposeScope();
        var (query, key, value) = Project(x, x);                    // [B, L, n, d] each
        query = RopeFrequencies.Apply(query, rope.Cos, rope.Sin);   // [B, L, n, d]
        key = RopeFrequencies.Apply(key, rope.Cos, rope.Sin);       // [B, L, n, d]
        return Attend(query, key, value).MoveToOuterDisposeScope(); // [B, L, C]
    }
}
