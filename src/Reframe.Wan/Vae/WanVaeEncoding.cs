using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The result of <see cref="WanVae.EncodeDetailed"/>: the normalised posterior mean (what the pipeline uses) and
/// the raw halves of the last 1x1x1 conv. Owns its tensors.
/// </summary>
public sealed class WanVaeEncoding(Tensor latents, Tensor mu, Tensor logVar) : IDisposable
{
    /// <summary><c>[B, z_dim, (T-1)/4+1, H/8, W/8]</c>: <c>(mu - mean) * (1/std)</c>, the posterior's mode, normalised.</summary>
    public Tensor Latents { get; } = latents;

    /// <summary>Un-normalised posterior mean (first z_dim channels of <c>conv1</c>).</summary>
    public Tensor Mu { get; } = mu;

    /// <summary>Posterior log-variance (last z_dim channels, unclamped). Unused by the pipeline.</summary>
    public Tensor LogVar { get; } = logVar;

    public void Dispose()
    {
        Latents.Dispose();
        Mu.Dispose();
        LogVar.Dispose();
    }
}
