using static TorchSharp.torch;

namespace Reframe.Wan.Pipelines;

/// <summary>The two VAE calls the pipeline makes (Wan2.1 VAE: 4x temporal, 8x spatial, 16 latent channels).</summary>
public interface IWanVae
{
    /// <summary>Posterior mean, normalised with the 16-channel mean/std: [B, 3, F, H, W] in [-1, 1] to [B, 16, f, h, w].</summary>
    Tensor Encode(Tensor video);

    /// <summary>Normalised latents [B, 16, f, h, w] to video [B, 3, 1 + 4(f - 1), H, W] clamped to [-1, 1].</summary>
    Tensor Decode(Tensor latents);
}
