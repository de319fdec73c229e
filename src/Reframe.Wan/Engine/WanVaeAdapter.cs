using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Runtime;
using Reframe.Wan.Vae;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>The pipeline's view of the Wan2.1 VAE (owns it).</summary>
public sealed class WanVaeAdapter(WanVae vae) : IWanVae, IDisposable
{
    public WanVae Vae { get; } = vae;

    /// <summary>
    /// Loads <c>Wan2.1_VAE.pth</c> (or a same-keyed <c>.safetensors</c>) strictly. The base width is read from
    /// <c>encoder.conv1.weight</c> (96 in the real file); everything else is the Wan2.1 configuration.
    /// </summary>
    public static WanVaeAdapter Load(string checkpointPath, WanRuntime runtime)
    {
        int dim;
        using (var checkpoint = CheckpointFiles.Open(checkpointPath))
        {
            dim = (int)checkpoint.Tensors["encoder.conv1.weight"].Shape[0];
        }

        return new WanVaeAdapter(WanVae.Load(checkpointPath, WanVaeConfig.Wan21 with { Dim = dim }, runtime).OwnWeights());
    }

    public Tensor Encode(Tensor video) => Vae.Encode(video);

    public Tensor Decode(Tensor latents) => Vae.Decode(latents);

    public void Dispose() => Vae.Dispose();
}
