using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>Wan's <c>T5FeedForward</c>: <c>fc2(fc1(x) * gelu_tanh(gate.0(x)))</c>, no biases (gated GELU).</summary>
public sealed class T5FeedForward : nn.Module<Tensor, Tensor>
{
    // Field names = checkpoint key segments.
    private readonly Sequential gate; // gate.0 = Linear(dim, dim_ffn), gate.1 = GELU (no parameters)
    private readonly Linear fc1;
    private readonly Linear fc2;

    public T5FeedForward(int dim, int dimFfn, ModuleInit init) : base(nameof(T5FeedForward))
    {
        gate = nn.Sequential(("0", init.Linear(dim, dimFfn, bias: false)), ("1", new T5Gelu()));
        fc1 = init.Linear(dim, dimFfn, bias: false);
        fc2 = init.Linear(dimFfn, dim, bias: false);
        register_module(nameof(gate), gate);
        register_module(nameof(fc1), fc1);
        register_module(nameof(fc2), fc2);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = fc1.forward(x) * gate.forward(x); // [B, L, dim_ffn]
        return fc2.forward(hidden).MoveToOuterDisposeScope(); // [B, L, dim]
    }
}
