namespace Reframe.Wan.Vae;

/// <summary>
/// The per-channel latent mean and std of the Wan2.1 VAE (16 channels), exactly as the reference writes them.
/// Latents are <c>(mu - mean) * (1 / std)</c>; the reference precomputes <c>1 / std</c> in float32 and multiplies by
/// it (encode) or divides by it (decode), which is what <see cref="WanVae"/> does too.
/// </summary>
public static class WanVaeLatentStats
{
    public static IReadOnlyList<float> Mean { get; } =
    [
        -0.7571f, -0.7089f, -0.9113f, 0.1075f, -0.1745f, 0.9653f, -0.1517f, 1.5508f,
        0.4134f, -0.0715f, 0.5517f, -0.3632f, -0.1922f, -0.9497f, 0.2503f, -0.2921f,
    ];

    public static IReadOnlyList<float> Std { get; } =
    [
        2.8184f, 1.4541f, 2.3275f, 2.6558f, 1.2196f, 1.7708f, 2.6052f, 2.0743f,
        3.2687f, 2.1526f, 2.8652f, 1.5579f, 1.6382f, 1.1253f, 2.8251f, 1.9160f,
    ];
}
