using Reframe.Wan.Modules.Cpu;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Modules.Cpu;

/// <summary>
/// <see cref="DirectConvolution"/> against libtorch's conv3d in float64 on the same float32 inputs, compiled for every
/// register width (the 512-bit copy runs, slowly, where AVX-512 is absent), on shapes that reach each of its paths:
/// blocks of 4 vectors with a shifted last block, single vectors, columns narrower than one vector (scalar), output
/// channels not a multiple of 4, kernels 3x3x3 / 1x1x1 / 3x1x1 / 1x3x3, every padding, zero and cached frames in
/// front, strided inputs, and the work split over threads (each thread stages its own rows).
/// </summary>
public class DirectConvolutionTests(ITestOutputHelper output)
{
    /// <summary>float32 sums of at most 16 x 27 products against float64: ~1e-7 measured; a wrong tap or lane is 0.1+.</summary>
    private const double Limit = 1e-5;

    /// <summary>Register widths in bits (<see cref="SimdWidth"/> is internal, theory parameters are public).</summary>
    public static TheoryData<int> Widths => [128, 256, 512];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Conv3d_MatchesFloat64_OnEveryPath(int width)
    {
        using var simd = CpuKernels.UseWidth((SimdWidth)width);
        // (in, out, kernel, padding, height, width): widths 5 (under one vector of 8/16), 37 (single vectors), 70 and
        // 130 (4-vector blocks plus a shifted block or single vectors).
        (int Ci, int Co, long[] Kernel, long[] Padding, int H, int W)[] shapes =
        [
            (3, 4, [3, 3, 3], [0, 1, 1], 6, 70),
            (4, 3, [3, 3, 3], [0, 1, 1], 5, 37),
            (4, 8, [3, 3, 3], [1, 1, 1], 4, 130),
            (5, 7, [3, 3, 3], [0, 1, 1], 3, 5),
            (8, 8, [1, 1, 1], [0, 0, 0], 4, 37),
            (16, 16, [3, 1, 1], [0, 0, 0], 3, 70),
            (16, 3, [1, 3, 3], [0, 1, 1], 7, 19),
            (2, 5, [3, 3, 3], [0, 0, 0], 6, 40),
            (6, 4, [3, 3, 3], [2, 2, 2], 2, 9),
        ];
        foreach (var (ci, co, kernel, padding, h, w) in shapes)
        {
            using var scope = NewDisposeScope();
            var (x, weight, bias) = Problem(ci, co, kernel, batch: 2, frames: 5, h, w, seed: ci * 100 + co);
            var expected = nn.functional.conv3d(x.to(ScalarType.Float64), weight.to(ScalarType.Float64), bias.to(ScalarType.Float64), padding: padding);
            var actual = DirectConvolution.Conv3d(x, weight, bias, padding);
            Check($"{width} {ci}->{co} k{string.Join("x", kernel)} p{string.Join("x", padding)} {h}x{w}", actual, expected);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void CausalFrames_AreZeroFramesThenHistoryThenInput(int width)
    {
        using var simd = CpuKernels.UseWidth((SimdWidth)width);
        using var scope = NewDisposeScope();
        var (x, weight, bias) = Problem(4, 6, [3, 3, 3], batch: 2, frames: 4, 9, 41, seed: 7);
        var history = randn([2, 4, 1, 9, 41], generator: new Generator(8));
        var frames = cat([zeros([2, 4, 1, 9, 41]), history, x], 2).to(ScalarType.Float64);
        var expected = nn.functional.conv3d(frames, weight.to(ScalarType.Float64), bias.to(ScalarType.Float64), padding: [0, 1, 1]);
        Check($"{width} 1 zero frame, 1 cached frame", DirectConvolution.Conv3d(x, weight, bias, [0, 1, 1], history, zeroFront: 1), expected);

        // Only zero frames in front of a one-frame input: output frame 0 sees two zero frames.
        var single = x.narrow(2, 0, 1);
        var padded = cat([zeros([2, 4, 2, 9, 41]), single], 2).to(ScalarType.Float64);
        var expectedSingle = nn.functional.conv3d(padded, weight.to(ScalarType.Float64), bias.to(ScalarType.Float64), padding: [0, 1, 1]);
        Check($"{width} 2 zero frames", DirectConvolution.Conv3d(single, weight, bias, [0, 1, 1], zeroFront: 2), expectedSingle);
    }

    [Fact]
    public void StridedViews_AreReadWhereTheyAre()
    {
        using var scope = NewDisposeScope();
        var (x, weight, bias) = Problem(4, 4, [3, 3, 3], batch: 1, frames: 8, 6, 33, seed: 11);
        var narrowed = x.narrow(2, 2, 5);                                                   // frames 2..6 of 8: not contiguous
        var permuted = x.permute(0, 2, 1, 3, 4).contiguous().permute(0, 2, 1, 3, 4);        // [B, C, T, H, W] over [B, T, C, H, W] memory
        Assert.False(narrowed.is_contiguous());
        Assert.False(permuted.is_contiguous());
        var w64 = weight.to(ScalarType.Float64);
        var b64 = bias.to(ScalarType.Float64);
        Check("narrowed", DirectConvolution.Conv3d(narrowed, weight, bias, [0, 1, 1]), nn.functional.conv3d(narrowed.to(ScalarType.Float64), w64, b64, padding: [0, 1, 1]));
        Check("permuted", DirectConvolution.Conv3d(permuted, weight, bias, [0, 1, 1]), nn.functional.conv3d(permuted.to(ScalarType.Float64), w64, b64, padding: [0, 1, 1]));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void WorkSplitOverThreads_GivesTheSameResult(int threads)
    {
        // Thread ranges start mid-frame and cross frames: each thread must stage its own rows from scratch.
        using var scope = NewDisposeScope();
        var (x, weight, bias) = Problem(4, 5, [3, 3, 3], batch: 2, frames: 4, 11, 70, seed: 13);
        var single = DirectConvolution.Conv3d(x, weight, bias, [0, 1, 1]);
        using var split = CpuKernels.UseThreads(threads);
        var parallel = DirectConvolution.Conv3d(x, weight, bias, [0, 1, 1]);
        Assert.True(parallel.eq(single).all().item<bool>(), $"{threads} threads differ from one"); // rows are computed alike wherever they run
    }

    [Fact]
    public void Conv2d_IsAOneFrameConv3d()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(17);
        var x = randn([3, 8, 13, 40], generator: generator);
        var weight = randn([16, 8, 3, 3], generator: generator) / Math.Sqrt(72);
        var bias = randn([16], generator: generator);
        var expected = nn.functional.conv2d(x.to(ScalarType.Float64), weight.to(ScalarType.Float64), bias.to(ScalarType.Float64), padding: [1, 1]);
        Check("conv2d 8->16", DirectConvolution.Conv2d(x, weight, bias, [1, 1]), expected);
    }

    private static (Tensor X, Tensor Weight, Tensor Bias) Problem(int ci, int co, long[] kernel, int batch, int frames, int h, int w, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var x = randn([batch, ci, frames, h, w], generator: generator);
        var weight = randn([co, ci, .. kernel], generator: generator) / Math.Sqrt(ci * kernel.Aggregate(1L, (a, k) => a * k));
        var bias = randn([co], generator: generator);
        return (x, weight, bias);
    }

    private void Check(string label, Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = actual.to(ScalarType.Float64) - expected;
        double error = (difference.norm() / expected.norm()).item<double>();
        output.WriteLine($"{label}: rel-L2 {error:E1}");
        Assert.True(error <= Limit, $"{label}: rel-L2 {error:E2}");
    }
}
