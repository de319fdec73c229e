using System.Globalization;
using Reframe.Wan.Modules;
using Reframe.Wan.Modules.Cpu;
using static TorchSharp.torch;

namespace Reframe.Bench.Wan;

/// <summary>
/// The measurement behind <see cref="Convolutions.DirectMaxInputChannels"/>: a float32 k=3x3x3 conv3d (4 output
/// frames, padding 1 in H and W) on each channel pair the VAEs have, by libtorch's conv3d, by conv2d over frames
/// (<see cref="Convolutions.FramesAsConv2d"/>, for up to 16 input channels) and by <see cref="DirectConvolution"/>.
/// </summary>
internal static class ConvRoutesScenario
{
    public const string Name = "conv-routes";

    public static void Run(TextWriter output)
    {
        output.WriteLine($"conv3d k=3x3x3, 6 input frames -> 4, float32, {get_num_threads()} thread(s), {CpuKernels.Width}-bit vectors, median of 3 after a warm-up; ms wall (GFLOP/s)");
        output.WriteLine("| in -> out | H x W | libtorch conv3d | conv2d over frames | direct | direct / best libtorch |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- |");
        (int In, int Out, int H, int W)[] shapes =
        [
            (3, 4, 480, 832), (4, 4, 480, 832), (4, 3, 480, 832), (4, 8, 240, 416), (8, 8, 240, 416), (8, 16, 120, 208),
            (16, 16, 120, 208), (16, 16, 60, 104), (16, 32, 60, 104), (32, 32, 120, 208), (3, 96, 240, 416),
            (16, 96, 60, 104), (96, 3, 240, 416), (96, 96, 120, 208),
        ];
        foreach (var (cin, cout, h, w) in shapes)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = randn([1, cin, 6, h, w]);
            var weight = randn([cout, cin, 3, 3, 3]) / Math.Sqrt(cin * 27);
            var bias = randn([cout]);
            long[] stride = [1, 1, 1], padding = [0, 1, 1];
            double gflop = 2.0 * cin * cout * 27 * 4 * h * w / 1e9;
            double raw = Timing.MedianSeconds(() => Convolutions.Raw(x, weight, bias, stride, padding).Dispose(), 1, 3);
            double? frames = cin <= Convolutions.FoldMaxInputChannels
                ? Timing.MedianSeconds(() => Convolutions.FramesAsConv2d(x, weight, bias, [1, 1], [1, 1]).Dispose(), 1, 3)
                : null;
            double direct = Timing.MedianSeconds(() => DirectConvolution.Conv3d(x, weight, bias, padding).Dispose(), 1, 3);
            string Cell(double s) => string.Create(CultureInfo.InvariantCulture, $"{s * 1e3:F1} ({gflop / s:F0})");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {cin} -> {cout} | {h}x{w} | {Cell(raw)} | {(frames is { } f ? Cell(f) : "-")} | {Cell(direct)} | {direct / Math.Min(raw, frames ?? raw):F2} |"));
        }
    }
}
