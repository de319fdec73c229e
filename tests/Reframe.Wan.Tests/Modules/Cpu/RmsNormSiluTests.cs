using Reframe.Wan.Modules.Cpu;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Modules.Cpu;

/// <summary><see cref="RmsNormSilu"/> against the reference's formula in float64, for every register width and layout.</summary>
public class RmsNormSiluTests(ITestOutputHelper output)
{
    /// <summary>float32 arithmetic and .NET's vector exp against float64: ~1e-7 measured; a wrong channel or lane is 0.1+.</summary>
    private const double Limit = 1e-6;

    /// <summary>Register widths in bits (<see cref="SimdWidth"/> is internal, theory parameters are public), without and with SiLU.</summary>
    public static TheoryData<int, bool> Cases()
    {
        var data = new TheoryData<int, bool>();
        foreach (int width in new[] { 128, 256, 512 })
        {
            data.Add(width, false);
            data.Add(width, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReferenceFormula(int width, bool silu)
    {
        using var simd = CpuKernels.UseWidth((SimdWidth)width);
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        // [B, C, T, H, W] with H*W under one vector (3x2), not a multiple of it (7x9), and several blocks (40x37);
        // [N, C, H, W] as the attention uses; a permuted view as the VAE's resamplers leave.
        Tensor[] inputs =
        [
            randn([2, 4, 3, 3, 2], generator: generator),
            randn([1, 3, 2, 7, 9], generator: generator),
            randn([2, 16, 2, 40, 37], generator: generator),
            randn([3, 96, 5, 11], generator: generator),
            randn([1, 5, 8, 6, 20], generator: generator).permute(0, 2, 1, 3, 4),
            zeros([1, 4, 1, 4, 20]),                                                 // the clamp at 1e-12: zeros stay zeros
        ];
        foreach (var x in inputs)
        {
            var gamma = randn([x.shape[1]], generator: generator);
            Assert.True(RmsNormSilu.Takes(x));
            var actual = RmsNormSilu.Run(x, gamma, silu);
            var x64 = x.to(ScalarType.Float64);
            var shape = new long[x.dim()];
            Array.Fill(shape, 1L);
            shape[1] = x.shape[1];
            var expected = x64 / x64.square().sum(1, keepdim: true).sqrt().clamp_min(1e-12) * gamma.to(ScalarType.Float64).view(shape);
            if (silu)
            {
                expected = nn.functional.silu(expected);
            }

            Assert.True(actual.is_contiguous());
            double norm = expected.norm().item<double>();
            double error = norm == 0 ? actual.abs().max().item<float>() : ((actual.to(ScalarType.Float64) - expected).norm() / norm).item<double>();
            output.WriteLine($"{width} silu={silu} [{string.Join(", ", x.shape)}]: {error:E1}");
            Assert.True(error <= Limit, $"[{string.Join(", ", x.shape)}]: {error:E2}");
        }
    }

    [Fact]
    public void Refuses_WhatItCannotRead()
    {
        using var scope = NewDisposeScope();
        Assert.False(RmsNormSilu.Takes(randn([1, 4, 2, 8, 8]).to(ScalarType.BFloat16)));
        Assert.False(RmsNormSilu.Takes(randn([1, 4, 2, 8, 8]).transpose(3, 4)));   // rows not contiguous
        Assert.False(RmsNormSilu.Takes(randn([4, 8])));
    }
}
