using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The Wan2.1 video VAE (the reference's <c>WanVAE_</c>; keys of <c>Wan2.1_VAE.pth</c> without prefix): 8x spatial
/// and 4x temporal compression to z_dim = 16 channels, causal in time. Encoding runs the encoder chunk by chunk
/// (frames [0], [1..4], [5..8], ...) and decoding one latent frame at a time, both carrying a
/// <see cref="FeatureCache"/> exactly as the reference does (the decoder's result depends on that schedule).
/// </summary>
public sealed class WanVae : nn.Module, Pipelines.IWanVae
{
    // Field names = checkpoint key segments.
    private readonly Encoder3d encoder;
    private readonly CausalConv3d conv1; // 2z -> 2z, 1x1x1: the posterior's mean and log-variance
    private readonly CausalConv3d conv2; // z -> z, 1x1x1, before the decoder
    private readonly Decoder3d decoder;

    // Constants, not checkpoint keys.
    private readonly Tensor _latentMean;   // [1, z, 1, 1, 1]
    private readonly Tensor _latentInvStd; // [1, z, 1, 1, 1], 1/std computed in float32 as the reference does

    public WanVae(WanVaeConfig config, ModuleInit init) : base(nameof(WanVae))
    {
        Config = config.Validate();
        Init = init;
        encoder = new Encoder3d(config, init);
        conv1 = CausalConv3d.Kernel1(config.ZDim * 2, config.ZDim * 2, init);
        conv2 = CausalConv3d.Kernel1(config.ZDim, config.ZDim, init);
        decoder = new Decoder3d(config, init);
        register_module(nameof(encoder), encoder);
        register_module(nameof(conv1), conv1);
        register_module(nameof(conv2), conv2);
        register_module(nameof(decoder), decoder);

        if (config.ZDim != WanVaeLatentStats.Mean.Count)
        {
            throw new ArgumentException($"the latent statistics are for {WanVaeLatentStats.Mean.Count} channels, z_dim is {config.ZDim}");
        }

        // Not registered: the constants are not part of the checkpoint. Cast to the working dtype after computing
        // 1/std in float32, like the reference's `scale = [mean, 1.0 / std]` followed by `.to(dtype)`.
        using (var std = tensor(WanVaeLatentStats.Std.ToArray()))
        using (var inv = 1.0f / std)
        {
            _latentInvStd = inv.to(init.DType, init.Device).view(1, -1, 1, 1, 1).DetachFromDisposeScope();
        }

        _latentMean = tensor(WanVaeLatentStats.Mean.ToArray()).to(init.DType, init.Device).view(1, -1, 1, 1, 1)
            .DetachFromDisposeScope();
    }

    public WanVaeConfig Config { get; }

    public ModuleInit Init { get; }

    /// <summary>Builds the VAE for a runtime and loads a checkpoint (<c>.pth</c> or <c>.safetensors</c>) strictly.</summary>
    public static WanVae Load(string checkpointPath, WanVaeConfig config, WanRuntime runtime)
    {
        using var checkpoint = CheckpointFiles.Open(checkpointPath);
        return Load(checkpoint, checkpointPath, config, runtime);
    }

    /// <summary>The same from an open checkpoint (<paramref name="name"/> for messages).</summary>
    public static WanVae Load(ICheckpointReader checkpoint, string name, WanVaeConfig config, WanRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var vae = new WanVae(config, new ModuleInit(runtime.DType, runtime.Device));
        try
        {
            StrictStateDictLoader.Load(vae, checkpoint, name);
            return vae;
        }
        catch
        {
            vae.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>vae.encode(video)[0].mode()</c>: video <c>[B, 3, T, H, W]</c> in [-1, 1] -> normalised latents
    /// <c>[B, z, 1 + (T-1)/4, H/8, W/8]</c>. Frames after <c>1 + 4 * ((T-1)/4)</c> are ignored, as in the reference.
    /// </summary>
    public Tensor Encode(Tensor video)
    {
        using var encoding = EncodeDetailed(video);
        return encoding.Latents.clone();
    }

    /// <summary>Encode, also returning the raw posterior halves. <paramref name="probe"/> sees every layer's chunk outputs.</summary>
    public WanVaeEncoding EncodeDetailed(Tensor video, Action<string, Tensor>? probe = null)
    {
        CheckVideo(video, Config);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var cache = new FeatureCache();
        video = video.to(Init.DType, Init.Device);

        long frames = video.shape[2];
        long chunks = 1 + (frames - 1) / 4;
        var outputs = new List<Tensor>();
        for (long i = 0; i < chunks; i++)
        {
            cache.BeginChunk();
            // Chunk 0 is frame 0 alone; chunk i >= 1 is frames 1+4(i-1) .. 4i.
            var chunk = i == 0 ? video.narrow(2, 0, 1) : video.narrow(2, 1 + 4 * (i - 1), 4);
            outputs.Add(encoder.Forward(chunk, cache, probe));
        }

        var h = conv1.Forward(cat(outputs, 2)); // [B, 2z, T', h, w]
        probe?.Invoke("conv1", h);
        var halves = h.chunk(2, 1);
        var mu = halves[0];
        var logVar = halves[1];
        var latents = (mu - _latentMean) * _latentInvStd;
        return new WanVaeEncoding(
            latents.MoveToOuterDisposeScope(), mu.contiguous().MoveToOuterDisposeScope(),
            logVar.contiguous().MoveToOuterDisposeScope());
    }

    /// <summary><c>vae.decode(latents).sample</c>: normalised latents -> video <c>[B, 3, 1 + 4(T'-1), 8h, 8w]</c> clamped to [-1, 1].</summary>
    public Tensor Decode(Tensor latents)
    {
        using var scope = NewDisposeScope();
        return DecodeUnclamped(latents).clamp(-1.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>The pipeline's <c>decode_latents</c>: <c>(decode(latents) / 2 + 0.5).clamp(0, 1)</c>, frames in [0, 1].</summary>
    public Tensor DecodeToUnitRange(Tensor latents)
    {
        using var decoded = Decode(latents);
        return ToUnitRange(decoded);
    }

    /// <summary>Maps decoded pixels in [-1, 1] to [0, 1] the way the pipeline does (<c>/ 2 + 0.5</c>, then a second clamp).</summary>
    public static Tensor ToUnitRange(Tensor decoded)
    {
        using var scope = NewDisposeScope();
        return (decoded / 2 + 0.5).clamp(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>The decoder output before the clamp (<c>vae.model.decode(latents, scale)</c>).</summary>
    public Tensor DecodeUnclamped(Tensor latents, Action<string, Tensor>? probe = null)
    {
        if (latents.dim() != 5 || latents.shape[1] != Config.ZDim)
        {
            throw new ArgumentException($"latents must be [B, {Config.ZDim}, T, H, W], got [{string.Join(", ", latents.shape)}]");
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var cache = new FeatureCache();
        latents = latents.to(Init.DType, Init.Device);

        // The reference divides by its precomputed 1/std (rather than multiplying by std).
        var z = latents / _latentInvStd + _latentMean;
        probe?.Invoke("decoder_input_denormalised", z);
        var x = conv2.Forward(z);
        probe?.Invoke("conv2", x);
        var outputs = new List<Tensor>();
        for (long i = 0; i < x.shape[2]; i++)
        {
            cache.BeginChunk();
            outputs.Add(decoder.Forward(x.narrow(2, i, 1), cache, probe));
        }

        return cat(outputs, 2).MoveToOuterDisposeScope();
    }

    private static void CheckVideo(Tensor video, WanVaeConfig config)
    {
        if (video.dim() != 5 || video.shape[1] != 3 || video.shape[2] < 1)
        {
            throw new ArgumentException($"video must be [B, 3, T, H, W], got [{string.Join(", ", video.shape)}]");
        }

        long factor = 1L << (config.DimMult.Count - 1);
        if (video.shape[3] % factor != 0 || video.shape[4] % factor != 0)
        {
            throw new ArgumentException($"video height and width must be multiples of {factor}, got {video.shape[3]}x{video.shape[4]}");
        }
    }

    // Explicit registration only: the latent constants must never become buffers (keys the checkpoint lacks).
    protected override void RegisterComponents()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _latentMean.Dispose();
            _latentInvStd.Dispose();
        }

        base.Dispose(disposing);
    }
}
