using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>
/// Wan's T5 <c>GELU</c>: the tanh approximation written out,
/// <c>0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))</c> (the exact-erf GELU is measurably off: 2.6e-4).
/// </summary>
public sealed class T5Gelu : nn.Module<Tensor, Tensor>
{
    private static readonly double SqrtTwoOverPi = Math.Sqrt(2.0 / Math.PI);

    public T5Gelu() : base(nameof(T5Gelu))
    {
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var inner = (x + x.pow(3.0) * 0.044715) * SqrtTwoOverPi;
        return (x * 0.5 * (inner.tanh() + 1.0)).MoveToOuterDisposeScope();
    }
}
