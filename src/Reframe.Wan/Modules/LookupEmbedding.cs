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
    // Field name = checkpoint key segment.
    private readonly Parameter weight; // [count, dim]

    public LookupEmbedding(long count, long dim, ModuleInit init) : base(nameof(LookupEmbedding))
    {
        weight = init.Parameter(count, dim);
        register_parameter(nameof(weight), weight);
    }

    /// <summary>Where the table is (ids are looked up there).</summary>
    public Device Device => weight.device;

    /// <summary>Rows of the table for integer <paramref name="ids"/> of any shape: [..., dim].</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var flat = weight.index_select(0, ids.reshape(-1)); // [N, dim]
        long[] shape = [.. ids.shape, weight.shape[1]];
        return flat.view(shape).MoveToOuterDisposeScope();  // [..., dim]
    }
}
