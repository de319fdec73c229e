using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// Loads a checkpoint into a module's existing parameters (and persistent buffers), strictly: every key the
/// module has must be in the checkpoint with the same shape, and the checkpoint may hold nothing else. On any
/// difference nothing is copied and a <see cref="CheckpointMismatchException"/> names the keys. Tensors are
/// copied one at a time into the parameters' own dtype and device, so peak extra memory is one tensor.
/// </summary>
public static class StrictStateDictLoader
{
    /// <summary>The module's state-dict entries: parameters then persistent buffers, with their shapes.</summary>
    public static IReadOnlyList<(string Name, Tensor Tensor)> Entries(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(module.named_buffers().Select(b => (b.name, b.buffer)))
            .ToList();

    /// <summary>The module's keys and shapes, e.g. to compare with a manifest.</summary>
    public static IReadOnlyList<ShapedKey> Keys(nn.Module module) =>
        Entries(module).Select(e => new ShapedKey(e.Name, e.Tensor.shape)).ToList();

    /// <summary>Compares a module with a checkpoint without reading any tensor data.</summary>
    public static StateDictMismatch Compare(nn.Module module, ICheckpointReader checkpoint) =>
        StateDictMismatch.Compare(Keys(module),
            checkpoint.Tensors.Values.Select(t => new ShapedKey(t.Name, t.Shape)));

    /// <summary>Checks every key and shape, then streams the tensors into the module.</summary>
    public static void Load(nn.Module module, ICheckpointReader checkpoint, string? sourceName = null)
    {
        var mismatch = Compare(module, checkpoint);
        if (!mismatch.IsEmpty)
        {
            throw new CheckpointMismatchException(sourceName ?? "the checkpoint", mismatch);
        }

        using var noGrad = no_grad();
        foreach (var (name, tensor) in Entries(module))
        {
            checkpoint.CopyInto(name, tensor);
        }
    }

    /// <summary>Opens a checkpoint file or folder (see <see cref="CheckpointFiles.Open"/>) and loads it strictly.</summary>
    public static void Load(nn.Module module, string path)
    {
        using var checkpoint = CheckpointFiles.Open(path);
        Load(module, checkpoint, path);
    }
}
