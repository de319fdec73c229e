using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>Wan's <c>T5FeedForward</c>: <c>fc2(fc1(x) * gelu_tanh(gate.0(x)))</c>, no biases (gated GELU).</summary>
public sealed class T5FeedForward : nn.Module<Tensor, Tensor>
{
    /// <summary><c>gate.0</c> = Linear(dim, dim_ffn), <c>gate.1</c> = GELU (no parameters).</summary>
    public Sequential gate;
    public Linear fc1;
    public Linear fc2;

    public T5FeedForward(int dim, int dimFfn, Device? device = null, ScalarType? dtype = null) : base(nameof(T5FeedForward))
    {
        gate = nn.Sequential(("0", nn.Linear(dim, dimFfn, hasBias: false, device, dtype)), ("1", new T5Gelu()));
        fc1 = nn.Linear(dim, dimFfn, hasBias: false, device, dtype);
        fc2 = nn.Linear(dimFfn, dim, hasBias: false, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = fc1.forward(x) * gate.forward(x); // [B, L, dim_ffn]
        return fc2.forward(hidden).MoveToOuterDisposeScope(); // [B, L, dim]
    }
}
