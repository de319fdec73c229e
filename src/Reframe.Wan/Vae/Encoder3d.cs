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
    private readonly CausalConv3d _conv1;
    private readonly List<IVaeLayer> _downsamples = [];
    private readonly List<IVaeLayer> _middle;
    private readonly ChannelL2Norm _headNorm;
    private readonly CausalConv3d _headConv;

    public Encoder3d(WanVaeConfig config, ModuleInit init) : base(nameof(Encoder3d))
    {
        long[] dims = new[] { 1 }.Concat(config.DimMult).Select(m => (long)config.Dim * m).ToArray();
        double scale = 1.0;
        _conv1 = CausalConv3d.Kernel3(3, dims[0], init);
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

        register_module("conv1", _conv1);
        register_module("downsamples", new IndexedSlots(_downsamples.Cast<nn.Module>()));
        register_module("middle", new IndexedSlots(_middle.Cast<nn.Module>()));
        register_module("head", new IndexedSlots((0, _headNorm), (2, _headConv)));
    }

    /// <summary>
    /// One chunk <c>[B, 3, t, H, W]</c> -> <c>[B, 2*z_dim, t', H/8, W/8]</c>. <paramref name="probe"/> sees every
    /// layer's output under its reference name (e.g. <c>encoder.downsamples.2</c>); it must copy what it keeps.
    /// </summary>
    public Tensor Forward(Tensor x, FeatureCache cache, Action<string, Tensor>? probe = null)
    {
        using var scope = NewDisposeScope();
        x = _conv1.Forward(x, cache);
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
        x = _headConv.Forward(x, cache);
        probe?.Invoke("encoder.head.2", x);
        return x.MoveToOuterDisposeScope();
    }
}
