using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>A layer of the encoder/decoder stacks, run on one chunk with the shared feature cache.</summary>
public interface IVaeLayer
{
    /// <summary><paramref name="x"/>: <c>[B, C, T, H, W]</c>.</summary>
    Tensor Forward(Tensor x, FeatureCache cache);
}
