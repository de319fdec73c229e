using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// Read access to the tensors of a checkpoint (a safetensors file, a sharded safetensors set, a pickled .pth),
/// one tensor at a time, so that a multi-GB file never has to sit in memory as a whole.
/// </summary>
public interface ICheckpointReader : IDisposable
{
    /// <summary>Every tensor in the checkpoint, keyed by its state-dict name.</summary>
    IReadOnlyDictionary<string, CheckpointTensorInfo> Tensors { get; }

    /// <summary>
    /// Reads one tensor into a new tensor (on CPU in the stored dtype unless told otherwise). The caller owns it.
    /// </summary>
    Tensor ReadTensor(string name, ScalarType? dtype = null, Device? device = null);

    /// <summary>
    /// Copies one tensor into an existing tensor of the same shape (any dtype, any device): the way the strict
    /// loader fills a module's parameters without a second full-size allocation in the target dtype.
    /// </summary>
    void CopyInto(string name, Tensor destination);
}
