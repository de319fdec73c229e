using Reframe.Wan.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>
/// Wan's <c>T5SelfAttention</c> block (pre-norm): <c>x += attn(norm1(x))</c> with this block's own position
/// bias (UMT5: <c>shared_pos=False</c>), then <c>x += ffn(norm2(x))</c>.
/// </summary>
public sealed class T5SelfAttentionBlock : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    // Field names = checkpoint key segments.
    private readonly RmsNorm norm1;
    private readonly T5Attention attn;
    private readonly RmsNorm norm2;
    private readonly T5FeedForward ffn;
    private readonly T5RelativeEmbedding? pos_embedding; // null when the encoder shares one table (shared_pos)

    public T5SelfAttentionBlock(Umt5Config config, ModuleInit init) : base("T5SelfAttention")
    {
        ArgumentNullException.ThrowIfNull(config);
        norm1 = new RmsNorm(config.Dim, Umt5Config.NormEps, init);
        attn = new T5Attention(config.Dim, config.DimAttn, config.NumHeads, init);
        norm2 = new RmsNorm(config.Dim, Umt5Config.NormEps, init);
        ffn = new T5FeedForward(config.Dim, config.DimFfn, init);
        pos_embedding = config.SharedPos ? null : new T5RelativeEmbedding(config.NumBuckets, config.NumHeads, init);
        register_module(nameof(norm1), norm1);
        register_module(nameof(attn), attn);
        register_module(nameof(norm2), norm2);
        register_module(nameof(ffn), ffn);
        if (pos_embedding is not null)
        {
            register_module(nameof(pos_embedding), pos_embedding);
        }
    }

    /// <summary>This block's own relative-position table; null when the encoder shares one (<c>shared_pos</c>).</summary>
    public T5RelativeEmbedding? PositionEmbedding => pos_embedding;

    /// <summary>The attention kernel of this block (see <see cref="T5AttentionKernel"/>).</summary>
    public T5AttentionKernel AttentionKernel
    {
        get => attn.Kernel;
        set => attn.Kernel = value;
    }

    /// <param name="x">[B, L, dim]</param>
    /// <param name="mask">[B, L]</param>
    /// <param name="positionBias">
    /// [1, H, L, L]: the encoder's shared bias when <c>shared_pos</c>; otherwise null, and the block uses its own table
    /// </param>
    public override Tensor forward(Tensor x, Tensor mask, Tensor? positionBias) => Forward(x, mask, positionBias, null);

    /// <summary>The forward, with the relative-position buckets [L, L] precomputed by the caller when given.</summary>
    public Tensor Forward(Tensor x, Tensor mask, Tensor? positionBias, Tensor? buckets)
    {
        using var scope = NewDisposeScope();
        long length = x.shape[1];
        var bias = positionBias
            ?? (buckets is null ? pos_embedding!.forward(length, length) : pos_embedding!.FromBuckets(buckets)); // [1, H, L, L]
        x = ClampHalf(x + attn.forward(norm1.forward(x), mask, bias));          // [B, L, dim]
        x = ClampHalf(x + ffn.forward(norm2.forward(x)));                       // [B, L, dim]
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference's <c>fp16_clamp</c>: float16 activations holding an infinity are clamped to
    /// <c>finfo.max - 1000</c>; every other dtype (and finite float16) passes through.
    /// </summary>
    private static Tensor ClampHalf(Tensor x)
    {
        if (x.dtype != ScalarType.Float16 || !x.isinf().any().item<bool>())
        {
            return x;
        }
        const double limit = 65504.0 - 1000.0;
        return x.clamp(-limit, limit);
    }
}
