using System.Globalization;
using Reframe.Wan.Modules;
using static TorchSharp.torch;

namespace Reframe.Bench.Wan;

/// <summary>
/// What the convolution guard costs where it is needed: the real VAE's conv shapes (3 -> 96 first conv, 96/192/384
/// residual convs, 96 -> 3 head) at a modest size, libtorch's kernel against the guarded route, float32 and bf16, side
/// by side. (On CPUs whose kernels are right the guard is never taken; this is the price on those where it is.)
/// </summary>
internal static class ConvGuardScenario
{
    public const string Name = "conv-guard";

    public static void Run(TextWriter output)
    {
        output.WriteLine($"conv3d k=3x3x3, 6 input frames, {get_num_threads()} thread(s), median of 3; the route this machine uses: float32 {ConvolutionKernels.RouteFor(ScalarType.Float32)}, bf16 {ConvolutionKernels.RouteFor(ScalarType.BFloat16)}");
        output.WriteLine("| dtype | in -> out | H x W | libtorch ms | guarded ms | guarded / libtorch |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            foreach (var (cin, cout, h, w) in new[] { (3, 96, 240, 416), (96, 96, 240, 416), (192, 192, 120, 208), (384, 384, 60, 104), (96, 3, 240, 416) })
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var x = randn([1, cin, 6, h, w]).to(dtype);
                var weight = (randn([cout, cin, 3, 3, 3]) / Math.Sqrt(cin * 27)).to(dtype);
                var bias = randn([cout]).to(dtype);
                long[] stride = [1, 1, 1], padding = [0, 1, 1];
                double raw = Timing.MedianSeconds(() => Convolutions.Raw(x, weight, bias, stride, padding).Dispose(), 1, 3);
                double guarded = Timing.MedianSeconds(() => (dtype == ScalarType.BFloat16
                    ? Convolutions.GuardedBFloat16(x, weight, bias, stride, padding)
                    : Convolutions.GuardedFloat32(x, weight, bias, stride, padding)).Dispose(), 1, 3);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {dtype} | {cin} -> {cout} | {h}x{w} | {raw * 1e3:F0} | {guarded * 1e3:F0} | {guarded / raw:F2} |"));
            }
        }
    }
}
