using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Wan's <c>sinusoidal_embedding_1d</c>: <c>[cos(t w_i), sin(t w_i)]</c> (cos first) with
/// <c>w_i = 10000^(-i/half)</c>, evaluated in float64 as the reference does (t reaches 1000, so float32 angles
/// would be off by ~1e-4 rad), then cast to float32.
/// </summary>
public static class SinusoidalTimestep
{
    /// <param name="timesteps">[B] timesteps on the 0..1000 scale (any dtype).</param>
    /// <param name="dim">freq_dim (256).</param>
    /// <returns>[B, dim] float32.</returns>
    public static Tensor Embed(Tensor timesteps, int dim)
    {
        using var scope = NewDisposeScope();
        int half = dim / 2;
        var position = timesteps.to_type(ScalarType.Float64).cpu();                                   // [B]
        var omega = pow(10000.0, -arange(half, dtype: ScalarType.Float64).div(half));                 // [half]
        var angles = outer(position, omega);                                                          // [B, half]
        var embedding = cat([cos(angles), sin(angles)], dim: 1).to_type(ScalarType.Float32);          // [B, dim]
        return embedding.to(timesteps.device).MoveToOuterDisposeScope();
    }
}
