using Reframe.Wan.Modules;
using Reframe.Wan.Modules.Cpu;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Modules;

/// <summary>
/// Every route of <see cref="Convolutions"/> against a float64 reference, for every shape class the model has:
/// channels 3, 8, 16, 20, 24, 36, 40, 96 in and out (96 -> 3 is the VAE head, 36 the tiny patch embedding's width),
/// batch x frames 1 and at least 2, float32 and bf16, Conv2d and Conv3d. The automatic route is what the model runs:
/// on a CPU whose oneDNN kernels are wrong for some of these shapes (AMD Zen 5, libtorch 2.10) the direct route fails
/// here while the automatic one must not, which is how a wrong kernel or a canary that misses it would show.
/// </summary>
public class ConvolutionsTests(ITestOutputHelper output)
{
    /// <summary>Float32 against float64: ~3e-7 measured; a broken kernel gives 0.3+.</summary>
    private const double Float32Limit = 1e-5;

    /// <summary>
    /// bf16 against float64 of the bf16-rounded inputs: the output's own rounding to bf16 (8 bits: 2^-9 relative) gives
    /// ~1.7e-3, accumulation in float32 adds nothing visible; a broken kernel gives 0.3+ or NaN.
    /// </summary>
    private const double BFloat16Limit = 5e-3;

    public static TheoryData<int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        int[] channels = [3, 8, 16, 20, 24, 36, 40, 96];
        foreach (int cin in channels)
        {
            // Each input width with a few output widths, among them the awkward ones; 96 -> 3 is the VAE head.
            foreach (int cout in new[] { 3, 16, 20, cin }.Distinct())
            {
                data.Add(cin, cout, 1, 2, false);   // conv2d, batch 1
                data.Add(cin, cout, 2, 2, false);   // conv2d, batch 2
                data.Add(cin, cout, 1, 3, false);   // conv3d, 1 output frame
                data.Add(cin, cout, 1, 3, true);    // conv3d, 3 output frames (batch x frames >= 2)
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryRoute_MatchesFloat64(int cin, int cout, int batch, int dims, bool frames)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (x, w, b, stride, padding) = Problem(cin, cout, batch, dims, frames ? 5 : 3, seed: cin * 1000 + cout);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            var (xd, wd, bd) = (x.to(dtype), w.to(dtype), b.to(dtype));
            // The reference sees exactly the inputs the dtype can hold.
            var exact = Convolutions.Raw(xd.to(ScalarType.Float64), wd.to(ScalarType.Float64), bd.to(ScalarType.Float64), stride, padding);
            double limit = dtype == ScalarType.Float32 ? Float32Limit : BFloat16Limit;
            var guarded = dtype == ScalarType.Float32 ? Convolutions.GuardedFloat32(xd, wd, bd, stride, padding) : Convolutions.GuardedBFloat16(xd, wd, bd, stride, padding);
            var automatic = dims == 3 ? Convolutions.Conv3d(xd, wd, bd, stride, padding) : Convolutions.Conv2d(xd, wd, bd, stride, padding);
            var direct = Convolutions.Raw(xd, wd, bd, stride, padding);
            Tensor libTorchOnly;
            using (CpuKernels.UseLibTorchOnly())
            {
                // The automatic route without the hand-written kernel: libtorch's, guarded where the canary says so.
                libTorchOnly = dims == 3 ? Convolutions.Conv3d(xd, wd, bd, stride, padding) : Convolutions.Conv2d(xd, wd, bd, stride, padding);
            }

            double guardedError = Error(guarded, exact), automaticError = Error(automatic, exact), directError = Error(direct, exact);
            double libTorchOnlyError = Error(libTorchOnly, exact);
            output.WriteLine($"{dtype}: guarded {guardedError:E1}, automatic ({ConvolutionKernels.RouteFor(dtype)}, hand-written kernel: {Convolutions.TakesDirect(xd, wd, stride)}) {automaticError:E1}, automatic without it {libTorchOnlyError:E1}, libtorch direct {directError:E1}");
            Assert.True(guardedError <= limit, $"{dtype} guarded route: {guardedError:E2}");
            Assert.True(automaticError <= limit, $"{dtype} automatic route: {automaticError:E2} (direct kernel {directError:E2})");
            Assert.True(libTorchOnlyError <= limit, $"{dtype} automatic route without the hand-written kernel: {libTorchOnlyError:E2} (direct kernel {directError:E2})");
            if (dims == 3 && cin <= Convolutions.FoldMaxInputChannels)
            {
                double framesError = Error(Convolutions.FramesAsConv2d(xd, wd, bd, stride[1..], padding[1..]), exact);
                Assert.True(framesError <= limit, $"{dtype} conv3d as conv2d over frames: {framesError:E2}");
            }
        }
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(20, 24)]
    public void CausalConv3d_IsTheConvOverZeroFramesHistoryAndInput(int cin, int cout)
    {
        // The direct kernel (4 channels) reads the cached frames where they are; the other routes (20) concatenate.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (x, w, b, stride, padding) = Problem(cin, cout, 1, 3, 4, seed: 3);
        var history = randn([1, cin, 1, 8, 12], generator: new Generator(4));
        var frames = cat([zeros([1, cin, 1, 8, 12]), history, x], 2).to(ScalarType.Float32);
        var (xf, wf, bf, hf) = (x.to(ScalarType.Float32), w.to(ScalarType.Float32), b.to(ScalarType.Float32), history.to(ScalarType.Float32));
        var exact = Convolutions.Raw(frames.to(ScalarType.Float64), wf.to(ScalarType.Float64), bf.to(ScalarType.Float64), stride, padding);
        double error = Error(Convolutions.CausalConv3d(xf, hf, 1, wf, bf, stride, [1, 1]), exact);
        output.WriteLine($"{cin}->{cout}: {error:E1}");
        Assert.True(error <= Float32Limit, $"{error:E2}");
        using (CpuKernels.UseLibTorchOnly())
        {
            double before = Error(Convolutions.CausalConv3d(xf, hf, 1, wf, bf, stride, [1, 1]), exact);
            Assert.True(before <= Float32Limit, $"without the hand-written kernel: {before:E2}");
        }
    }

    [Fact]
    public void Canary_ChoosesTheGuard_WhenTheKernelIsWrong_AndTheDirectKernelWhenItIsRight()
    {
        // A kernel that is right except for the shapes the real bug hits (more than 16 input channels, not a multiple
        // of 16): the canary must see it.
        Func<Tensor, Tensor, Tensor?, long[], long[], Tensor> wrong = (x, w, b, s, p) =>
        {
            var y = Convolutions.Raw(x, w, b, s, p);
            return x.dtype != ScalarType.Float64 && x.shape[1] > 16 && x.shape[1] % 16 != 0 ? y * 1.5 : y;
        };
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            var (route, finding) = ConvolutionKernels.CanaryWith(dtype, wrong);
            output.WriteLine($"{dtype} with a wrong kernel: {route} ({finding})");
            Assert.Equal(ConvolutionRoute.Guarded, route);
            var (honest, _) = ConvolutionKernels.CanaryWith(dtype, Convolutions.Raw);
            Assert.Equal(ConvolutionKernels.RouteFor(dtype), honest);
        }
    }

    [Fact]
    public void Route_IsDecidedOnce_AndSaidOnce()
    {
        var first = ConvolutionKernels.RouteFor(ScalarType.Float32);
        Assert.Equal(first, ConvolutionKernels.RouteFor(ScalarType.Float32));
        Assert.Single(ConvolutionKernels.Describe(), line => line.StartsWith("convolutions in Float32", StringComparison.Ordinal));
    }

    private static (Tensor X, Tensor W, Tensor B, long[] Stride, long[] Padding) Problem(int cin, int cout, int batch, int dims, int frames, int seed)
    {
        using var generator = new Generator((ulong)seed);
        long[] spatial = dims == 2 ? [10, 14] : [frames, 8, 12];
        long[] kernel = dims == 2 ? [3, 3] : [3, 3, 3];
        var x = randn([batch, cin, .. spatial], generator: generator, dtype: ScalarType.Float64);
        var w = randn([cout, cin, .. kernel], generator: generator, dtype: ScalarType.Float64) / Math.Sqrt(cin * kernel.Aggregate(1L, (a, k) => a * k));
        var b = randn([cout], generator: generator, dtype: ScalarType.Float64);
        long[] stride = dims == 2 ? [1, 1] : [1, 1, 1];
        long[] padding = dims == 2 ? [1, 1] : [0, 1, 1];
        return (x.MoveToOuterDisposeScope(), w.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope(), stride, padding);
    }

    private static double Error(Tensor actual, Tensor expected)
    {
        using var a = actual.to(ScalarType.Float64);
        double error = ((a - expected).norm() / expected.norm()).item<double>();
        return double.IsNaN(error) ? double.PositiveInfinity : error;
    }
}
