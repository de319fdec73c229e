using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules;

/// <summary>
/// An embedding table (<c>nn.Embedding</c> for inference): <c>weight[ids]</c>, parameter named <c>weight</c>.
/// TorchSharp's own <c>nn.Embedding</c> wraps the C++ module, which allocates and initialises a float32 table on
/// the CPU whatever device and dtype are asked for (4 GB and seconds for UMT5's 256384 x 4096 table, even on
/// the meta device); this one allocates the table once, uninitialised, where it is asked: weights are loaded.
/// </summary>
public sealed class LookupEmbedding : nn.Module<Tensor, Tensor>
{
    public Parameter weight;

    public LookupEmbedding(long count, long dim, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LookupEmbedding))
    {
        weight = nn.Parameter(empty(count, dim, dtype ?? float32, device), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>Rows of the table for integer <paramref name="ids"/> of any shape: [..., dim].</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var flat = weight.index_select(0, ids.reshape(-1)); // [N, dim]
        long[] shape = [.. ids.shape, weight.shape[1]];
        return flat.view(shape).MoveToOuterDisposeScope();  // [..., dim]
    }
}
