using Reframe.Wan.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The VAE decoder (keys <c>decoder.*</c>): <c>conv1</c> z_dim -> top width, <c>middle</c>, <c>upsamples</c>
/// (num_res_blocks + 1 residual blocks per stage, then an upsampler, temporal for the first two stages), and
/// <c>head</c> to 3 channels. Stages after an upsampler start from half the channels, because every upsampler's
/// conv halves them (the reference's <c>in_dim // 2</c>). Runs on one latent frame at a time.
/// </summary>
public sealed class Decoder3d : nn.Module
{
    // Field names = checkpoint key segments.
    private readonly CausalConv3d conv1;     // z_dim -> top width
    private readonly IndexedSlots middle;    // middle.{0,1,2}: the layers of _middle
    private readonly IndexedSlots upsamples; // upsamples.{i}: the layers of _upsamples
    private readonly IndexedSlots head;      // head.{0,2}

    // The slots, as the forward runs them.
    private readonly List<IVaeLayer> _middle;         // middle.{i}
    private readonly List<IVaeLayer> _upsamples = []; // upsamples.{i}
    private readonly ChannelL2Norm _headNorm;         // head.0 (head.1, the SiLU, is fused into it)
    private readonly CausalConv3d _headConv;          // head.2

    public Decoder3d(WanVaeConfig config, ModuleInit init) : base(nameof(Decoder3d))
    {
        var mult = config.DimMult;
        long[] dims = new[] { mult[^1] }.Concat(mult.Reverse()).Select(m => (long)config.Dim * m).ToArray();
        var temporalUpsample = config.TemporalDownsample.Reverse().ToList();
        double scale = 1.0 / Math.Pow(2, mult.Count - 2);

        conv1 = CausalConv3d.Kernel3(config.ZDim, dims[0], init);
        _middle = [new ResidualBlock(dims[0], dims[0], init), new AttentionBlock(dims[0], init), new ResidualBlock(dims[0], dims[0], init)];
        long outDim = dims[0];
        for (int i = 0; i < dims.Length - 1; i++)
        {
            long inDim = dims[i];
            outDim = dims[i + 1];
            if (i is 1 or 2 or 3)
            {
                inDim /= 2; // the previous stage's upsampler halved the channels
            }

            for (int r = 0; r < config.NumResBlocks + 1; r++)
            {
                _upsamples.Add(new ResidualBlock(inDim, outDim, init));
                if (config.AttnScales.Contains(scale))
                {
                    _upsamples.Add(new AttentionBlock(outDim, init));
                }

                inDim = outDim;
            }

            if (i != mult.Count - 1)
            {
                var mode = temporalUpsample[i] ? ResampleMode.Upsample3d : ResampleMode.Upsample2d;
                _upsamples.Add(new Resample(outDim, mode, init));
                scale *= 2.0;
            }
        }

        _headNorm = new ChannelL2Norm(outDim, images: false, init);
        _headConv = CausalConv3d.Kernel3(outDim, 3, init);

        middle = new IndexedSlots(_middle.Cast<nn.Module>());
        upsamples = new IndexedSlots(_upsamples.Cast<nn.Module>());
        head = new IndexedSlots((0, _headNorm), (2, _headConv));
        register_module(nameof(conv1), conv1);
        register_module(nameof(middle), middle);
        register_module(nameof(upsamples), upsamples);
        register_module(nameof(head), head);
    }

    /// <summary>One latent frame <c>[B, z_dim, 1, h, w]</c> -> 1 frame (first call) or 4 frames <c>[B, 3, t, 8h, 8w]</c>.</summary>
    public Tensor Forward(Tensor x, FeatureCache cache, Action<string, Tensor>? probe = null)
    {
        using var scope = NewDisposeScope();
        x = conv1.Forward(x, cache);                 // [B, top width, 1, h, w]
        probe?.Invoke("decoder.conv1", x);
        for (int i = 0; i < _middle.Count; i++)
        {
            x = _middle[i].Forward(x, cache);
            probe?.Invoke($"decoder.middle.{i}", x);
        }

        for (int i = 0; i < _upsamples.Count; i++)
        {
            x = _upsamples[i].Forward(x, cache);
            probe?.Invoke($"decoder.upsamples.{i}", x);
        }

        x = _headNorm.ForwardSilu(x);
        x = _headConv.Forward(x, cache);             // [B, 3, t, 8h, 8w]
        probe?.Invoke("decoder.head.2", x);
        return x.MoveToOuterDisposeScope();
    }

    // The slot fields are registered through the IndexedSlots only (see IndexedSlots).
    protected override void RegisterComponents()
    {
    }
}
