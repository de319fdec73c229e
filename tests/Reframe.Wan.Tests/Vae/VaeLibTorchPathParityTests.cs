using Reframe.Wan.Modules.Cpu;
using Reframe.Wan.Tests.Parity;
using Xunit.Abstractions;

namespace Reframe.Wan.Tests.Vae;

/// <summary>
/// The VAE cases again with the hand-written CPU kernels switched off (<see cref="CpuKernels.UseLibTorchOnly"/>: every
/// convolution and norm through libtorch, guarded where the canary says so), at the same tolerance: both paths the
/// VAE can take on a CPU stay exact, and the benchmarks' "before" column is a path that still matches the reference.
/// <see cref="VaeParityTests"/> covers the default path.
/// </summary>
[Trait("Category", "Parity")]
public class VaeLibTorchPathParityTests(ITestOutputHelper output)
{
    private const double ReadmeTolerance = 1e-4;

    public static TheoryData<string> EncodeCases => VaeParityTests.EncodeCases;

    public static TheoryData<string> DecodeCases => VaeParityTests.DecodeCases;

    [Theory]
    [MemberData(nameof(EncodeCases))]
    public void Encode_MatchesReference(string caseId)
    {
        using var libTorch = CpuKernels.UseLibTorchOnly();
        using var kase = ParityKit.Load(caseId);
        using var vae = VaeParityTests.LoadVae(kase);
        using var video = kase.Input("video");
        using var encoding = vae.EncodeDetailed(video);
        kase.Check(output, TensorRole.Output, "latents", encoding.Latents, ReadmeTolerance);
        kase.Check(output, TensorRole.Output, "mu_raw", encoding.Mu, ReadmeTolerance);
        kase.Check(output, TensorRole.Output, "log_var", encoding.LogVar, ReadmeTolerance);
    }

    [Theory]
    [MemberData(nameof(DecodeCases))]
    public void Decode_MatchesReference(string caseId)
    {
        using var libTorch = CpuKernels.UseLibTorchOnly();
        using var kase = ParityKit.Load(caseId);
        using var vae = VaeParityTests.LoadVae(kase);
        using var latents = kase.Input("latents");
        using var decoded = vae.DecodeUnclamped(latents);
        kase.Check(output, TensorRole.Output, "decoded_unclamped", decoded, ReadmeTolerance);
    }
}
