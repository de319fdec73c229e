using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The reference's <c>CausalConv3d</c>: a Conv3d built with padding (pt, ph, pw) but run on input padded with
/// zeros on both spatial sides and <c>2*pt</c> frames in FRONT only (no look-ahead). Cached frames from the
/// previous chunk replace that many of the front zero frames.
/// </summary>
public sealed class CausalConv3d : nn.Module
{
    /// <summary>How many frames of history a k=3 conv keeps between chunks (the reference's CACHE_T).</summary>
    public const int CacheFrames = 2;

    private readonly long[] _padding; // F.pad order: W-left, W-right, H-top, H-bottom, T-front, T-back
    private readonly long[] _stride;

    // Field names = checkpoint key segments.
    private readonly Parameter weight; // [Cout, Cin, kT, kH, kW]
    private readonly Parameter bias;   // [Cout]

    public CausalConv3d(long inChannels, long outChannels, (long T, long H, long W) kernel, ModuleInit init,
        (long T, long H, long W)? stride = null, (long T, long H, long W)? padding = null)
        : base(nameof(CausalConv3d))
    {
        var p = padding ?? (0, 0, 0);
        var s = stride ?? (1, 1, 1);
        _padding = [p.W, p.W, p.H, p.H, 2 * p.T, 0];
        _stride = [s.T, s.H, s.W];
        weight = init.Parameter(outChannels, inChannels, kernel.T, kernel.H, kernel.W);
        bias = init.Parameter(outChannels);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
    }

    /// <summary>A k=3 conv with padding 1 in all three dims, as the residual blocks and heads use.</summary>
    public static CausalConv3d Kernel3(long inChannels, long outChannels, ModuleInit init) =>
        new(inChannels, outChannels, (3, 3, 3), init, padding: (1, 1, 1));

    /// <summary>A 1x1x1 conv (no padding, so no history).</summary>
    public static CausalConv3d Kernel1(long inChannels, long outChannels, ModuleInit init) =>
        new(inChannels, outChannels, (1, 1, 1), init);

    /// <summary>Runs the conv on <paramref name="x"/> <c>[B, Cin, T, H, W]</c> with optional history frames in front.</summary>
    public Tensor Forward(Tensor x, Tensor? history = null)
    {
        // 2*pt causal frames in front: the history's, then zeros for what it lacks. Spatial zero padding is the
        // convolution's own (symmetric, as the reference pads): no padded copy of the chunk.
        long front = _padding[4];
        if (front == 0)
        {
            history = null;
        }

        long zeros = Math.Max(0, front - (history?.shape[2] ?? 0));
        return Convolutions.CausalConv3d(x, history, zeros, weight, bias, _stride, [_padding[2], _padding[0]]);
    }

    /// <summary>
    /// Runs the conv with the feature cache, the way every k=3 conv of the reference does: the history is the
    /// slot's frames, and the slot then keeps the last two input frames (the last cached frame plus the input
    /// when the input is a single frame). The result equals a causal conv over the whole clip.
    /// </summary>
    public Tensor Forward(Tensor x, FeatureCache cache)
    {
        using var scope = NewDisposeScope();
        var slot = cache.Next();
        long frames = x.shape[2];
        var next = x.narrow(2, Math.Max(0, frames - CacheFrames), Math.Min(frames, CacheFrames));
        if (next.shape[2] < CacheFrames && slot.Frames is not null)
        {
            next = cat([slot.LastFrame(), next], 2);
        }

        var y = Forward(x, slot.Frames);
        slot.Store(next);
        return y.MoveToOuterDisposeScope();
    }
}
