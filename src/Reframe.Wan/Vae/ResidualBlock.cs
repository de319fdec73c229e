using Reframe.Wan.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// <c>out = residual(x) + shortcut(x)</c> with <c>residual = [RMS_norm, SiLU, CausalConv3d k3, RMS_norm, SiLU,
/// Dropout, CausalConv3d k3]</c> (keys <c>residual.{0,2,3,6}</c>) and a 1x1x1 <c>shortcut</c> only when the channel
/// count changes. Each k3 conv has its own cache slot; the shortcut never uses the cache.
/// </summary>
public sealed class ResidualBlock : nn.Module, IVaeLayer
{
    // Field names = checkpoint key segments.
    private readonly IndexedSlots residual;  // residual.{0,2,3,6}
    private readonly CausalConv3d? shortcut; // only when the channel count changes

    // The slots of residual, as the forward runs them.
    private readonly ChannelL2Norm _norm1; // residual.0 (residual.1, the SiLU, is fused into it)
    private readonly CausalConv3d _conv1;  // residual.2
    private readonly ChannelL2Norm _norm2; // residual.3 (residual.4, the SiLU, is fused into it)
    private readonly CausalConv3d _conv2;  // residual.6

    public ResidualBlock(long inChannels, long outChannels, ModuleInit init) : base(nameof(ResidualBlock))
    {
        _norm1 = new ChannelL2Norm(inChannels, images: false, init);
        _conv1 = CausalConv3d.Kernel3(inChannels, outChannels, init);
        _norm2 = new ChannelL2Norm(outChannels, images: false, init);
        _conv2 = CausalConv3d.Kernel3(outChannels, outChannels, init);
        residual = new IndexedSlots((0, _norm1), (2, _conv1), (3, _norm2), (6, _conv2));
        register_module(nameof(residual), residual);
        if (inChannels != outChannels)
        {
            shortcut = CausalConv3d.Kernel1(inChannels, outChannels, init);
            register_module(nameof(shortcut), shortcut);
        }
    }

    public Tensor Forward(Tensor x, FeatureCache cache)
    {
        using var scope = NewDisposeScope();
        var h = shortcut is null ? x : shortcut.Forward(x); // [B, Cout, T, H, W]
        var y = _norm1.ForwardSilu(x);                      // [B, Cin, T, H, W]
        y = _conv1.Forward(y, cache);                       // [B, Cout, T, H, W]
        y = _norm2.ForwardSilu(y);
        // residual.5 is Dropout(0.0): the identity at inference.
        y = _conv2.Forward(y, cache);                       // [B, Cout, T, H, W]
        return y.add_(h).MoveToOuterDisposeScope(); // y is this block's own fresh tensor
    }

    // The slot fields are registered through residual only (see IndexedSlots).
    protected override void RegisterComponents()
    {
    }
}
