using Reframe.Wan.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The middle attention: per frame (frames folded into the batch), single head over the H*W positions, q/k/v
/// are the channel thirds of a 1x1 <c>to_qkv</c> conv, scale 1/sqrt(C), a 1x1 <c>proj</c>, plus the residual.
/// No temporal mixing, so it needs no cache.
/// </summary>
public sealed class AttentionBlock : nn.Module, IVaeLayer
{
    private readonly ChannelL2Norm _norm;
    private readonly Conv2dLayer _toQkv;
    private readonly Conv2dLayer _proj;

    public AttentionBlock(long channels, ModuleInit init) : base(nameof(AttentionBlock))
    {
        _norm = new ChannelL2Norm(channels, images: true, init);
        _toQkv = new Conv2dLayer(channels, channels * 3, 1, init);
        _proj = new Conv2dLayer(channels, channels, 1, init);
        register_module("norm", _norm);
        register_module("to_qkv", _toQkv);
        register_module("proj", _proj);
    }

    public Tensor Forward(Tensor x, FeatureCache cache) => Forward(x);

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var frames = x.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w); // [B*T, C, H, W]
        var qkv = _toQkv.Forward(_norm.Forward(frames)) // [B*T, 3C, H, W]
            .reshape(b * t, 1, c * 3, h * w)
            .permute(0, 1, 3, 2) // [B*T, 1, H*W, 3C]
            .contiguous()
            .chunk(3, -1); // q, k, v: [B*T, 1, H*W, C]
        var o = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]); // default scale 1/sqrt(C)
        o = o.squeeze(1).permute(0, 2, 1).reshape(b * t, c, h, w);
        o = _proj.Forward(o).reshape(b, t, c, h, w).permute(0, 2, 1, 3, 4); // [B, C, T, H, W]
        return (o + x).MoveToOuterDisposeScope();
    }
}
