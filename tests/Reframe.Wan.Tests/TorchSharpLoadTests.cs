using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests;

/// <summary>
/// Proves that libtorch actually loads in this build output (on Debian 12 only after build/torchsharp's fix)
/// and computes: a matmul and scaled_dot_product_attention against hand-computed values.
/// </summary>
public class TorchSharpLoadTests
{
    [Fact]
    public void Matmul_ComputesOnCpu_AfterTheLoadFix()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var c = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }

    [Fact]
    public void ScaledDotProductAttention_MatchesSoftmaxFormula()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var q = randn(new long[] { 1, 2, 5, 8 }, generator: gen);
        var k = randn(new long[] { 1, 2, 5, 8 }, generator: gen);
        var v = randn(new long[] { 1, 2, 5, 8 }, generator: gen);
        var sdpa = nn.functional.scaled_dot_product_attention(q, k, v);
        var manual = nn.functional.softmax(q.matmul(k.transpose(-2, -1)) / Math.Sqrt(8), -1).matmul(v);
        Assert.True(sdpa.allclose(manual, rtol: 1e-5, atol: 1e-6));
    }
}
