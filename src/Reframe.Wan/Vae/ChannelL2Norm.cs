using Reframe.Wan.Modules;
using Reframe.Wan.Modules.Cpu;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The VAE's norm, which the reference calls <c>RMS_norm</c> (channel-first): <c>F.normalize(x, dim=1) * sqrt(C) *
/// gamma</c>, i.e. x divided by its L2 norm over channels clamped at 1e-12. It is not our <see cref="Modules.RmsNorm"/>
/// under another name: the axis is the channel one (1), not the last; there is NO epsilon added to the mean square (an
/// epsilon of 1e-6 here moves the output by ~5e-5); the scale is <c>gamma</c> shaped <c>[C,1,1(,1)]</c>; and the
/// residual blocks take it fused with the SiLU that follows (<see cref="ForwardSilu"/>). No bias parameter.
/// </summary>
public sealed class ChannelL2Norm : nn.Module
{
    private readonly double _scale;
    private Tensor? _scaledGamma; // sqrt(C) * gamma, computed on first use: a cache, never a registered buffer

    // Field name = checkpoint key segment.
    private readonly Parameter gamma; // [C, 1, 1] or [C, 1, 1, 1]

    /// <param name="channels">C.</param>
    /// <param name="images">True for 4-D inputs (attention, gamma <c>[C,1,1]</c>), false for videos (<c>[C,1,1,1]</c>).</param>
    public ChannelL2Norm(long channels, bool images, ModuleInit init) : base(nameof(ChannelL2Norm))
    {
        _scale = Math.Sqrt(channels);
        gamma = images ? init.Parameter(channels, 1, 1) : init.Parameter(channels, 1, 1, 1);
        register_parameter(nameof(gamma), gamma);
    }

    public Tensor Forward(Tensor x) => Normalize(x, silu: false);

    /// <summary><c>silu(Forward(x))</c>, which is how the residual blocks and heads use the norm, in one pass where it can.</summary>
    public Tensor ForwardSilu(Tensor x) => Normalize(x, silu: true);

    private Tensor Normalize(Tensor x, bool silu)
    {
        if (!CpuKernels.LibTorchOnly && RmsNormSilu.Takes(x))
        {
            return RmsNormSilu.Run(x, ScaledGamma(), silu);
        }

        using var scope = NewDisposeScope();
        Tensor y;
        if (CpuKernels.LibTorchOnly)
        {
            // The path before any of this (benchmarks time against it; tests check it still matches).
            y = nn.functional.normalize(x, p: 2, dim: 1, eps: 1e-12) * _scale * gamma;
        }
        else
        {
            // F.normalize's arithmetic (the L2 norm over channels, clamped at 1e-12, then a division) written out:
            // libtorch's normalize reduces over the strided channel dimension with its generic norm kernel, 1.4x (96
            // channels) to 4.4x (4 channels) slower than sum-of-squares + sqrt on the CPU. sqrt(C) * gamma is folded
            // into one factor: the result moves by about 1e-7 relative (one rounding), far inside the parity limit.
            var norm = x.square().sum(1, keepdim: true).sqrt_().clamp_min_(1e-12);                   // [B, 1, ...]
            y = x / norm * ScaledGamma();
        }

        return (silu ? nn.functional.silu(y, inplace: true) : y).MoveToOuterDisposeScope();
    }

    private Tensor ScaledGamma()
    {
        // gamma does not change after loading; sqrt(C) * gamma is computed on first use (again after a move) and kept.
        if (_scaledGamma is null || _scaledGamma.IsInvalid || _scaledGamma.device_type != gamma.device_type
            || _scaledGamma.device_index != gamma.device_index || _scaledGamma.dtype != gamma.dtype)
        {
            _scaledGamma?.Dispose();
            using var noGrad = no_grad();
            _scaledGamma = (gamma * _scale).DetachFromDisposeScope();
        }

        return _scaledGamma;
    }

    // Registration is explicit (gamma only): TorchSharp's reflective pass, which it runs on every module a parent
    // registers, would make a _scaledGamma computed before that a buffer, and the strict loader an unexpected key.
    protected override void RegisterComponents()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scaledGamma?.Dispose();
        }

        base.Dispose(disposing);
    }
}
