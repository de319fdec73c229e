using Reframe.Wan.Modules.Cpu;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules;

/// <summary>
/// The one entry point for every convolution in Reframe.Wan (VAE convs, resamplers, attention 1x1s, the patch
/// embeddings). Two jobs:
/// <list type="number">
/// <item>correct on every CPU: on x86 CPUs whose oneDNN kernels are wrong for some shapes (see
/// <see cref="ConvolutionKernels"/>), the guarded route avoids those shapes exactly;</item>
/// <item>fast on the CPU: libtorch's CPU conv3d reaches 2 to 13 GFLOP/s with few channels (the tiny VAE's 3 to 16).
/// Float32 convolutions with stride 1 and few channels run on <see cref="DirectConvolution"/> (25 to 50 GFLOP/s on
/// the same cores); other few-channel conv3d as conv2d calls over channels-last frames (<see cref="FramesAsConv2d"/>),
/// 3 to 7x faster than libtorch's conv3d. From 32 input channels on, libtorch's conv3d is the faster one (the real
/// VAE's 96 to 384).</item>
/// </list>
/// CUDA tensors take libtorch's kernels as they are.
/// </summary>
public static class Convolutions
{
    /// <summary>Input channels up to which a conv3d on the CPU runs as conv2d calls over frames (measured on 6 frames, one
    /// thread: faster at 3-16 input channels; at 32, 48 and 96 the direct conv3d is).</summary>
    public const long FoldMaxInputChannels = 16;

    /// <summary>
    /// Input channels up to which a float32 stride-1 convolution runs on <see cref="DirectConvolution"/>. Its cost per
    /// FMA does not depend on the channels, libtorch's falls as they grow: measured (bench/Reframe.Bench.Wan
    /// <c>conv-routes</c>, docs/benchmarks.md) the direct kernel is 3-10x faster at 3-16 input channels and slower from
    /// 32 on, whatever the output channels.
    /// </summary>
    public const long DirectMaxInputChannels = 16;

    /// <summary>Conv3d: <paramref name="x"/> [B, Cin, T, H, W], <paramref name="weight"/> [Cout, Cin, kt, kh, kw].</summary>
    public static Tensor Conv3d(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.device.type != TorchSharp.DeviceType.CPU)
        {
            return nn.functional.conv3d(x, weight, bias, stride, padding);
        }

        if (TakesDirect(x, weight, stride))
        {
            return DirectConvolution.Conv3d(x, weight, bias, padding);
        }

        long kt = weight.shape[2];
        if (!CpuKernels.LibTorchOnly && stride[0] == 1 && padding[0] == 0 && (kt == 1 || weight.shape[1] <= FoldMaxInputChannels))
        {
            return FramesAsConv2d(x, weight, bias, [stride[1], stride[2]], [padding[1], padding[2]]);
        }

        return Checked(x, weight, bias, stride, padding);
    }

    /// <summary>
    /// A causal conv3d (the VAE's): the input frames are <paramref name="zeroFrames"/> zero frames, then
    /// <paramref name="history"/>'s frames (cached from the previous chunk), then <paramref name="x"/>'s; no temporal
    /// padding beyond that, <paramref name="spatialPadding"/> (H, W) zeros on both sides. The direct kernel reads the
    /// two tensors where they are; the other routes concatenate them first.
    /// </summary>
    public static Tensor CausalConv3d(Tensor x, Tensor? history, long zeroFrames, Tensor weight, Tensor? bias, long[] stride, long[] spatialPadding)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.device.type == TorchSharp.DeviceType.CPU && TakesDirect(x, weight, stride)
            && (history is null || history.device.type == TorchSharp.DeviceType.CPU))
        {
            return DirectConvolution.Conv3d(x, weight, bias, [0, spatialPadding[0], spatialPadding[1]], history, zeroFrames);
        }

        using var scope = NewDisposeScope();
        if (history is not null)
        {
            x = cat([history.to(x.device), x], 2);
        }

        if (zeroFrames > 0)
        {
            x = nn.functional.pad(x, [0, 0, 0, 0, zeroFrames, 0], PaddingModes.Constant, 0);
        }

        return Conv3d(x, weight, bias, stride, [0, spatialPadding[0], spatialPadding[1]]).MoveToOuterDisposeScope();
    }

    /// <summary>Conv2d: <paramref name="x"/> [N, Cin, H, W], <paramref name="weight"/> [Cout, Cin, kh, kw].</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.device.type != TorchSharp.DeviceType.CPU)
        {
            return nn.functional.conv2d(x, weight, bias, stride, padding);
        }

        return TakesDirect(x, weight, stride) ? DirectConvolution.Conv2d(x, weight, bias, padding) : Checked(x, weight, bias, stride, padding);
    }

    /// <summary>Whether a CPU convolution runs on <see cref="DirectConvolution"/>: float32, stride 1, few input channels.</summary>
    internal static bool TakesDirect(Tensor x, Tensor weight, long[] stride) =>
        !CpuKernels.LibTorchOnly && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && stride.All(s => s == 1) && weight.shape[1] <= DirectMaxInputChannels;

    /// <summary>
    /// A conv3d with temporal stride 1 and no temporal padding as kt conv2d calls: output frame t is the sum over k of
    /// input frame t + k convolved with the weight's k-th temporal slice. The input is laid out once channels-last
    /// ([B*T, H, W, C]), so the frames each call reads are a plain view of it (no copy per tap), in the layout oneDNN's
    /// kernels for few channels prefer. The same sums in another order: exact up to float rounding. Measured on one
    /// thread, 6 frames: 1.2-1.6x faster than one conv2d over the frames stacked into the channels, which itself beats
    /// libtorch's conv3d 3-7x at these channel counts.
    /// </summary>
    public static Tensor FramesAsConv2d(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        long kt = weight.shape[2], cout = weight.shape[0];
        long frames = t - kt + 1;
        var channelsLast = x.permute(0, 2, 3, 4, 1).contiguous();                                  // [B, T, H, W, C]
        Tensor? sum = null;
        for (long k = 0; k < kt; k++)
        {
            var taps = channelsLast.narrow(1, k, frames).reshape(b * frames, h, w, c).permute(0, 3, 1, 2); // [B*T', C, H, W] view (B = 1: no copy)
            var y = Checked(taps, weight.select(2, k), k == 0 ? bias : null, stride, padding);     // [B*T', Cout, H', W']
            sum = sum is null ? y : sum.add_(y);
        }

        return sum!.view(b, frames, cout, sum.shape[2], sum.shape[3]).permute(0, 2, 1, 3, 4).contiguous() // [B, Cout, T', H', W']
            .MoveToOuterDisposeScope();
    }

    /// <summary>libtorch's kernel, or the guarded route where this CPU's kernel is wrong for the shape.</summary>
    private static Tensor Checked(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding)
    {
        var route = ConvolutionKernels.RouteFor(x.dtype);
        if (route == ConvolutionRoute.Direct)
        {
            return Raw(x, weight, bias, stride, padding);
        }

        return x.dtype == ScalarType.BFloat16 ? GuardedBFloat16(x, weight, bias, stride, padding) : GuardedFloat32(x, weight, bias, stride, padding);
    }

    /// <summary>bf16 in float32 (itself guarded), rounded to bf16 once: what a correct bf16 kernel approximates.</summary>
    internal static Tensor GuardedBFloat16(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding)
    {
        using var scope = NewDisposeScope();
        var y = GuardedFloat32(x.to_type(ScalarType.Float32), weight.to_type(ScalarType.Float32), bias?.to_type(ScalarType.Float32), stride, padding);
        return y.to_type(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// float32 with more than 16 input channels that are not a multiple of 16: zero channels appended to the input and
    /// the weight (they add nothing to any sum) up to the next multiple of 16, the shapes the kernels get right.
    /// </summary>
    internal static Tensor GuardedFloat32(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding)
    {
        long channels = x.shape[1];
        if (channels <= 16 || channels % 16 == 0)
        {
            return Raw(x, weight, bias, stride, padding);
        }

        using var scope = NewDisposeScope();
        long extra = 16 - channels % 16;
        long[] pad = new long[2 * (x.dim() - 1)];                  // F.pad counts from the last dim; channels are dim 1
        pad[^1] = extra;
        var paddedX = nn.functional.pad(x, pad);
        var paddedW = nn.functional.pad(weight, pad);
        return Raw(paddedX, paddedW, bias, stride, padding).MoveToOuterDisposeScope();
    }

    internal static Tensor Raw(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding) =>
        weight.dim() == 5 ? nn.functional.conv3d(x, weight, bias, stride, padding) : nn.functional.conv2d(x, weight, bias, stride, padding);
}
