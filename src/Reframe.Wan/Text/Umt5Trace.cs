using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>
/// Optional record of encoder intermediates (for parity checks and debugging): detached copies that live
/// outside the forward's dispose scope. Dispose it to free them.
/// </summary>
public sealed class Umt5Trace : IDisposable
{
    public const string TokenEmbeddingOut = "token_embedding_out";

    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);
    private readonly List<Tensor> _blockOutputs = [];

    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>Output of each block, after both residual adds: [B, L, dim] each.</summary>
    public IReadOnlyList<Tensor> BlockOutputs => _blockOutputs;

    internal void Record(string name, Tensor value)
    {
        var copy = value.detach().clone();
        copy.DetachFromDisposeScope();
        _tensors[name] = copy;
    }

    internal void RecordBlock(Tensor value)
    {
        var copy = value.detach().clone();
        copy.DetachFromDisposeScope();
        _blockOutputs.Add(copy);
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values)
        {
            t.Dispose();
        }
        foreach (var t in _blockOutputs)
        {
            t.Dispose();
        }
        _tensors.Clear();
        _blockOutputs.Clear();
    }
}
