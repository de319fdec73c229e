using Reframe.Wan.Modules;
using Reframe.Wan.Tests.Parity;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Modules;

/// <summary>
/// The port's one RMS norm (the UMT5 encoder's <c>T5LayerNorm</c> and the transformer's q/k norms): no mean, no bias,
/// the statistic in float32, and in bf16 the normalised value rounded to bf16 before the weight multiplies it.
/// </summary>
public class RmsNormTests
{
    [Fact]
    public void IsRmsNormWithoutMeanOrBias()
    {
        using var scope = NewDisposeScope();
        using var norm = WithWeight(new RmsNorm(4, 1e-6, ModuleInit.CpuFloat32), [1, 2, 3, 4]);
        var x = tensor(new float[] { 1, 2, 3, 4 }, [1, 4]);
        double rms = Math.Sqrt((1 + 4 + 9 + 16) / 4.0 + 1e-6);
        var expected = tensor(new float[] { (float)(1 / rms), (float)(4 / rms), (float)(9 / rms), (float)(16 / rms) }, [1, 4]);
        Assert.True(ParityKit.RelativeL2(norm.forward(x), expected) < 1e-7);
    }

    [Fact]
    public void InBFloat16_RoundsTheNormalisedValueBeforeTheWeight()
    {
        using var scope = NewDisposeScope();
        float[] weights = [1.01f, 3.07f, 0.33f, 7.9f, 2.5f, 0.77f, 5.3f, 1.9f];
        using var norm = WithWeight(new RmsNorm(8, 1e-6, new ModuleInit(ScalarType.BFloat16, CPU)), weights);
        var x = randn([256, 8], generator: new Generator(5)).to(ScalarType.BFloat16);
        var x32 = x.to(ScalarType.Float32);
        var normalised = (x32 * x32.square().mean([-1], keepdim: true).add(1e-6).rsqrt()).to(ScalarType.BFloat16);
        var weight = tensor(weights).to(ScalarType.BFloat16);
        var expected = normalised * weight;                                                  // the reference's order
        var fusedOrder = (x32 * x32.square().mean([-1], keepdim: true).add(1e-6).rsqrt() * weight.to(ScalarType.Float32)).to(ScalarType.BFloat16);
        var actual = norm.forward(x);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        Assert.Equal(0, WorstDifference(actual, expected));
        Assert.True(WorstDifference(fusedOrder, expected) > 0, "the two orders must differ on this input, or the test proves nothing");
    }

    private static float WorstDifference(Tensor a, Tensor b) =>
        (a.to(ScalarType.Float32) - b.to(ScalarType.Float32)).abs().max().item<float>();

    private static RmsNorm WithWeight(RmsNorm norm, float[] values)
    {
        using (no_grad())
        {
            norm.named_parameters().Single().parameter.copy_(tensor(values));
        }

        return norm;
    }
}
