using Reframe.Wan.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

public enum ResampleMode
{
    Upsample2d,
    Upsample3d,
    Downsample2d,
    Downsample3d,
}

/// <summary>
/// The reference's <c>Resample</c>: a per-frame spatial part (<c>resample.1</c>, a Conv2d) and, in the 3d modes, a
/// temporal conv (<c>time_conv</c>) with its own cache rules, which are the VAE's least obvious behaviour:
/// <list type="bullet">
/// <item>downsample3d: the first chunk's frame passes through untouched (the slot just stores it); later chunks
/// convolve (last cached frame, chunk) with kernel 3, stride 2, no padding: windows (0,1,2), (2,3,4), ...</item>
/// <item>upsample3d: on the first latent frame the slot becomes "Rep" and NO temporal upsampling happens (1 frame
/// stays 1 frame); on the second the conv runs WITHOUT history (two zero frames: latent frame 0 is not context);
/// afterwards with the cached frames. The 2C output channels become two frames (first C channels the earlier).</item>
/// </list>
/// </summary>
public sealed class Resample : nn.Module, IVaeLayer
{
    private readonly ResampleMode _mode;

    // Field names = checkpoint key segments.
    private readonly IndexedSlots resample;   // resample.1 (resample.0 is the upsampling or the zero padding, done in Forward)
    private readonly CausalConv3d? time_conv; // the 3d modes only

    // The slot of resample, as the forward runs it.
    private readonly Conv2dLayer _conv; // resample.1

    public Resample(long channels, ResampleMode mode, ModuleInit init) : base(nameof(Resample))
    {
        _mode = mode;
        bool up = mode is ResampleMode.Upsample2d or ResampleMode.Upsample3d;
        // Upsamplers halve the channels (hence the decoder's in_dim // 2); downsamplers use stride 2 without padding
        // (the asymmetric ZeroPad2d((0,1,0,1)) in slot 0 is applied in Forward).
        _conv = up
            ? new Conv2dLayer(channels, channels / 2, 3, init, padding: 1)
            : new Conv2dLayer(channels, channels, 3, init, stride: 2);
        resample = new IndexedSlots((1, _conv));
        register_module(nameof(resample), resample);
        time_conv = mode switch
        {
            ResampleMode.Upsample3d => new CausalConv3d(channels, channels * 2, (3, 1, 1), init, padding: (1, 0, 0)),
            ResampleMode.Downsample3d => new CausalConv3d(channels, channels, (3, 1, 1), init, stride: (2, 1, 1)),
            _ => null,
        };
        if (time_conv is not null)
        {
            register_module(nameof(time_conv), time_conv);
        }
    }

    public Tensor Forward(Tensor x, FeatureCache cache)
    {
        using var scope = NewDisposeScope();
        if (_mode == ResampleMode.Upsample3d)
        {
            x = UpsampleTime(x, cache.Next());
        }

        if (_mode is ResampleMode.Upsample2d or ResampleMode.Upsample3d)
        {
            // nn.Upsample(scale 2, 'nearest-exact') = every row and column repeated twice (exact in any dtype), as one
            // broadcast copy.
            long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
            x = x.reshape(b, c, t, h, 1, w, 1).expand(b, c, t, h, 2, w, 2).reshape(b, c, t, 2 * h, 2 * w);
        }
        else
        {
            x = nn.functional.pad(x, [0, 1, 0, 1], PaddingModes.Constant, 0); // right and bottom only
        }

        x = _conv.ForwardFrames(x); // per frame, as the reference's Conv2d over frames folded into the batch

        if (_mode == ResampleMode.Downsample3d)
        {
            x = DownsampleTime(x, cache.Next());
        }

        return x.MoveToOuterDisposeScope();
    }

    private Tensor UpsampleTime(Tensor x, FeatureCache.Slot slot)
    {
        if (slot.IsEmpty)
        {
            slot.MarkRep(); // first latent frame: no temporal conv, no frame doubling
            return x;
        }

        long frames = x.shape[2];
        var next = x.narrow(2, Math.Max(0, frames - CausalConv3d.CacheFrames), Math.Min(frames, CausalConv3d.CacheFrames));
        if (next.shape[2] < CausalConv3d.CacheFrames)
        {
            // After "Rep" the missing frame is a zero frame, not the first latent frame.
            next = cat([slot.IsRep ? zeros_like(next) : slot.LastFrame(), next], 2);
        }

        var y = time_conv!.Forward(x, slot.IsRep ? null : slot.Frames); // [B, 2C, T, H, W]
        slot.Store(next);
        long b = y.shape[0], c = y.shape[1] / 2, t = y.shape[2], h = y.shape[3], w = y.shape[4];
        y = y.reshape(b, 2, c, t, h, w);
        return stack([y.select(1, 0), y.select(1, 1)], 3).reshape(b, c, t * 2, h, w); // frame 2i, 2i+1
    }

    private Tensor DownsampleTime(Tensor x, FeatureCache.Slot slot)
    {
        if (slot.IsEmpty)
        {
            slot.Store(x); // first chunk: the frame passes through
            return x;
        }

        var last = x.narrow(2, x.shape[2] - 1, 1);
        var y = time_conv!.Forward(cat([slot.LastFrame(), x], 2)); // no padding: T+1 -> T/2 frames
        slot.Store(last);
        return y;
    }

    // The slot field is registered through resample only (see IndexedSlots).
    protected override void RegisterComponents()
    {
    }
}
