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
    // Field names = checkpoint key segments.
    private readonly ChannelL2Norm norm;
    private readonly Conv2dLayer to_qkv; // C -> 3C, 1x1
    private readonly Conv2dLayer proj;   // C -> C, 1x1

    public AttentionBlock(long channels, ModuleInit init) : base(nameof(AttentionBlock))
    {
        norm = new ChannelL2Norm(channels, images: true, init);
        to_qkv = new Conv2dLayer(channels, channels * 3, 1, init);
        proj = new Conv2dLayer(channels, channels, 1, init);
        register_module(nameof(norm), norm);
        register_module(nameof(to_qkv), to_qkv);
        register_module(nameof(proj), proj);
    }

    public Tensor Forward(Tensor x, FeatureCache cache) => Forward(x);

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var frames = x.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w); // [B*T, C, H, W]
        var qkv = to_qkv.Forward(norm.Forward(frames)) // [B*T, 3C, H, W]
            .reshape(b * t, 1, c * 3, h * w)
            .permute(0, 1, 3, 2) // [B*T, 1, H*W, 3C]
            .contiguous()
            .chunk(3, -1); // q, k, v: [B*T, 1, H*W, C]
        var o = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]); // default scale 1/sqrt(C)
        o = o.squeeze(1).permute(0, 2, 1).reshape(b * t, c, h, w);
        o = proj.Forward(o).reshape(b, t, c, h, w).permute(0, 2, 1, 3, 4); // [B, C, T, H, W]
        return (o + x).MoveToOuterDisposeScope();
    }
}
