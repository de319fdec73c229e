using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>
/// The UMT5 encoder as Wan implements it (<c>wan/modules/t5.py</c> <c>T5Encoder</c>, identical to VideoX-Fun's
/// <c>WanT5EncoderModel</c>). Field names are the checkpoint keys of <c>models_t5_umt5-xxl-enc-bf16.pth</c>:
/// <c>token_embedding</c>, <c>blocks.{i}.{norm1,attn.{q,k,v,o},norm2,ffn.{gate.0,fc1,fc2},pos_embedding.embedding}</c>,
/// <c>norm</c> (and a top-level <c>pos_embedding</c> only when <c>shared_pos</c>, which UMT5 is not).
/// Inference only: dropout is inactive and therefore absent, and the forward runs under <c>no_grad</c>.
/// </summary>
public sealed class Umt5Encoder : nn.Module<Tensor, Tensor, Tensor>
{
    // Field names = checkpoint key segments.
    private readonly LookupEmbedding token_embedding;  // [vocab, dim]
    private readonly T5RelativeEmbedding? pos_embedding; // only when shared_pos (not UMT5: each block has its own)
    private readonly ModuleList<T5SelfAttentionBlock> blocks;
    private readonly RmsNorm norm;

    /// <param name="config">hyper-parameters</param>
    /// <param name="init">where and in which dtype to allocate the parameters (float32 for parity, bf16 for the real
    /// weights on GPU; <see cref="ModuleInit.Meta"/> allocates nothing: shapes only)</param>
    public Umt5Encoder(Umt5Config config, ModuleInit init) : base("T5Encoder")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        token_embedding = new LookupEmbedding(config.Vocab, config.Dim, init);
        pos_embedding = config.SharedPos ? new T5RelativeEmbedding(config.NumBuckets, config.NumHeads, init) : null;
        blocks = nn.ModuleList(Enumerable.Range(0, config.NumLayers).Select(_ => new T5SelfAttentionBlock(config, init)).ToArray());
        norm = new RmsNorm(config.Dim, Umt5Config.NormEps, init);
        register_module(nameof(token_embedding), token_embedding);
        if (pos_embedding is not null)
        {
            register_module(nameof(pos_embedding), pos_embedding);
        }

        register_module(nameof(blocks), blocks);
        register_module(nameof(norm), norm);
    }

    public Umt5Config Config { get; }

    /// <summary>Where the weights are (token ids go there).</summary>
    public Device Device => token_embedding.Device;

    /// <summary>The blocks (<c>blocks.{i}</c>).</summary>
    public IReadOnlyList<T5SelfAttentionBlock> Blocks => blocks.AsReadOnly();

    /// <summary>Sets every block's attention kernel (fused by default where exact; explicit = the reference's ops).</summary>
    public void SetAttentionKernel(T5AttentionKernel kernel)
    {
        foreach (var block in blocks)
        {
            block.AttentionKernel = kernel;
        }
    }

    /// <summary><c>last_hidden_state</c> [B, L, dim] for ids [B, L] (int64) and mask [B, L] (1 = token).</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask) => Forward(inputIds, attentionMask, trace: null);

    /// <summary>The forward, optionally recording <c>token_embedding_out</c> and every block's output.</summary>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask, Umt5Trace? trace)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var noGrad = no_grad(); // inference only: never record a graph over 5.7B parameters
        using var scope = NewDisposeScope();
        var x = token_embedding.forward(inputIds); // [B, L, dim]
        trace?.Record(Umt5Trace.TokenEmbeddingOut, x);
        long length = x.shape[1];
        var shared = pos_embedding?.forward(length, length); // [1, H, L, L] or null (UMT5)
        // UMT5: every block has its own table but the same buckets, which depend on L only: computed once.
        var buckets = shared is null ? blocks[0].PositionEmbedding!.Buckets(length, length, x.device) : null; // [L, L]
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].Forward(x, attentionMask, shared, buckets); // [B, L, dim]
            trace?.RecordBlock(x);
        }
        return norm.forward(x).MoveToOuterDisposeScope(); // [B, L, dim]
    }
}
