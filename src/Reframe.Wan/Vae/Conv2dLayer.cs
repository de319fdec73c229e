using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>A plain Conv2d (<c>weight [Cout, Cin, k, k]</c>, <c>bias [Cout]</c>) that creates its parameters via <see cref="ModuleInit"/>.</summary>
public sealed class Conv2dLayer : nn.Module
{
    private readonly long _stride;
    private readonly long _padding;

    // Field names = checkpoint key segments.
    private readonly Parameter weight; // [Cout, Cin, k, k]
    private readonly Parameter bias;   // [Cout]

    public Conv2dLayer(long inChannels, long outChannels, long kernel, ModuleInit init, long stride = 1, long padding = 0)
        : base(nameof(Conv2dLayer))
    {
        _stride = stride;
        _padding = padding;
        weight = init.Parameter(outChannels, inChannels, kernel, kernel);
        bias = init.Parameter(outChannels);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
    }

    /// <summary><paramref name="x"/>: <c>[N, Cin, H, W]</c>.</summary>
    public Tensor Forward(Tensor x) =>
        Convolutions.Conv2d(x, weight, bias, [_stride, _stride], [_padding, _padding]);

    /// <summary>
    /// The same conv on every frame of <paramref name="x"/> <c>[B, Cin, T, H, W]</c> -> <c>[B, Cout, T, H', W']</c>: a
    /// conv3d with a one-frame kernel, so the frames need not be permuted into the batch and back.
    /// </summary>
    public Tensor ForwardFrames(Tensor x)
    {
        using var frameKernel = weight.unsqueeze(2);
        return Convolutions.Conv3d(x, frameKernel, bias, [1, _stride, _stride], [0, _padding, _padding]);
    }
}
