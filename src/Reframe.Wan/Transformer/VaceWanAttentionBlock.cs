using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// A VACE block (<c>vace_blocks.{j}</c>): a full Wan block over the control tokens, followed by
/// <c>after_proj</c> that produces hint j. Block 0 first mixes in the patch-embedded latent tokens through
/// <c>before_proj</c> (<c>c = before_proj(c) + x</c>); only it owns <c>before_proj</c>.
/// </summary>
public sealed class VaceWanAttentionBlock : WanAttentionBlock
{
    // Field names = checkpoint key segments.
    private readonly Linear? before_proj;
    private readonly Linear after_proj;

    public VaceWanAttentionBlock(WanTransformerConfig config, int blockId, ModuleInit init)
        : base(config, init, nameof(VaceWanAttentionBlock))
    {
        if (blockId == 0)
        {
            before_proj = init.Linear(config.Dim, config.Dim);
            register_module(nameof(before_proj), before_proj);
        }

        after_proj = init.Linear(config.Dim, config.Dim);
        register_module(nameof(after_proj), after_proj);
    }

    /// <summary>The mixing of block 0: <c>before_proj(c) + x</c>, both [B, L, C].</summary>
    public Tensor Enter(Tensor c, Tensor x)
    {
        if (before_proj is null)
        {
            throw new InvalidOperationException("Only vace_blocks.0 has before_proj.");
        }

        return before_proj.forward(c) + x;
    }

    /// <summary>Runs the block on the control stream; returns the new stream and this block's hint, both [B, L, C].</summary>
    public (Tensor Stream, Tensor Hint) ForwardVace(Tensor c, Tensor e0, Tensor context, (Tensor Cos, Tensor Sin) rope)
    {
        var stream = Forward(c, e0, context, rope);
        return (stream, after_proj.forward(stream));
    }
}
