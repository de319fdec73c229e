using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The reference's <c>RMS_norm</c> (channel-first): <c>F.normalize(x, dim=1) * sqrt(C) * gamma</c>, i.e. x divided
/// by its L2 norm over channels clamped at 1e-12, with NO epsilon added to the mean square (unlike the usual
/// RMSNorm; an epsilon of 1e-6 here moves the output by ~5e-5). No bias parameter.
/// </summary>
public sealed class RmsNorm : nn.Module
{
    private readonly double _scale;

    public Parameter gamma;

    /// <param name="channels">C.</param>
    /// <param name="images">True for 4-D inputs (attention, gamma <c>[C,1,1]</c>), false for videos (<c>[C,1,1,1]</c>).</param>
    public RmsNorm(long channels, bool images, ModuleInit init) : base(nameof(RmsNorm))
    {
        _scale = Math.Sqrt(channels);
        gamma = images ? init.Parameter(channels, 1, 1) : init.Parameter(channels, 1, 1, 1);
        register_parameter(nameof(gamma), gamma);
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Same operation order as the reference: normalize, times sqrt(C), times gamma.
        return (nn.functional.normalize(x, p: 2, dim: 1, eps: 1e-12) * _scale * gamma).MoveToOuterDisposeScope();
    }
}
