using Reframe.Wan.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The VAE encoder (keys <c>encoder.*</c>): <c>conv1</c> 3 -> dim, <c>downsamples</c> (residual blocks with a
/// spatial or spatio-temporal downsampler after every stage but the last), <c>middle</c> (residual, attention,
/// residual), <c>head</c> (RMS_norm, SiLU, conv to 2*z_dim channels). Runs on one chunk at a time.
/// </summary>
public sealed class Encoder3d : nn.Module
{
    // Field names = checkpoint key segments.
    private readonly CausalConv3d conv1;       // 3 -> dim
    private readonly IndexedSlots downsamples; // downsamples.{i}: the layers of _downsamples
    private readonly IndexedSlots middle;      // middle.{0,1,2}: the layers of _middle
    private readonly IndexedSlots head;        // head.{0,2}

    // The slots, as the forward runs them.
    private readonly List<IVaeLayer> _downsamples = []; // downsamples.{i}
    private readonly List<IVaeLayer> _middle;           // middle.{i}
    private readonly ChannelL2Norm _headNorm;           // head.0 (head.1, the SiLU, is fused into it)
    private readonly CausalConv3d _headConv;            // head.2

    public Encoder3d(WanVaeConfig config, ModuleInit init) : base(nameof(Encoder3d))
    {
        long[] dims = new[] { 1 }.Concat(config.DimMult).Select(m => (long)config.Dim * m).ToArray();
        double scale = 1.0;
        conv1 = CausalConv3d.Kernel3(3, dims[0], init);
        long outDim = dims[0];
        for (int i = 0; i < dims.Length - 1; i++)
        {
            long inDim = dims[i];
            outDim = dims[i + 1];
            for (int r = 0; r < config.NumResBlocks; r++)
            {
                _downsamples.Add(new ResidualBlock(inDim, outDim, init));
                if (config.AttnScales.Contains(scale))
                {
                    _downsamples.Add(new AttentionBlock(outDim, init));
                }

                inDim = outDim;
            }

            if (i != config.DimMult.Count - 1)
            {
                var mode = config.TemporalDownsample[i] ? ResampleMode.Downsample3d : ResampleMode.Downsample2d;
                _downsamples.Add(new Resample(outDim, mode, init));
                scale /= 2.0;
            }
        }

        _middle = [new ResidualBlock(outDim, outDim, init), new AttentionBlock(outDim, init), new ResidualBlock(outDim, outDim, init)];
        _headNorm = new ChannelL2Norm(outDim, images: false, init);
        _headConv = CausalConv3d.Kernel3(outDim, config.ZDim * 2, init);

        downsamples = new IndexedSlots(_downsamples.Cast<nn.Module>());
        middle = new IndexedSlots(_middle.Cast<nn.Module>());
        head = new IndexedSlots((0, _headNorm), (2, _headConv));
        register_module(nameof(conv1), conv1);
        register_module(nameof(downsamples), downsamples);
        register_module(nameof(middle), middle);
        register_module(nameof(head), head);
    }

    /// <summary>
    /// One chunk <c>[B, 3, t, H, W]</c> -> <c>[B, 2*z_dim, t', H/8, W/8]</c>. <paramref name="probe"/> sees every
    /// layer's output under its reference name (e.g. <c>encoder.downsamples.2</c>); it must copy what it keeps.
    /// </summary>
    public Tensor Forward(Tensor x, FeatureCache cache, Action<string, Tensor>? probe = null)
    {
        using var scope = NewDisposeScope();
        x = conv1.Forward(x, cache);                 // [B, dim, t, H, W]
        probe?.Invoke("encoder.conv1", x);
        for (int i = 0; i < _downsamples.Count; i++)
        {
            x = _downsamples[i].Forward(x, cache);
            probe?.Invoke($"encoder.downsamples.{i}", x);
        }

        for (int i = 0; i < _middle.Count; i++)
        {
            x = _middle[i].Forward(x, cache);
            probe?.Invoke($"encoder.middle.{i}", x);
        }

        x = _headNorm.ForwardSilu(x);
        x = _headConv.Forward(x, cache);             // [B, 2*z_dim, t', H/8, W/8]
        probe?.Invoke("encoder.head.2", x);
        return x.MoveToOuterDisposeScope();
    }

    // The slot fields are registered through the IndexedSlots only (see IndexedSlots).
    protected override void RegisterComponents()
    {
    }
}
