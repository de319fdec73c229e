using Reframe.Wan.Checkpoints;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Loads one expert folder (<c>config.json</c> + <c>diffusion_pytorch_model*.safetensors</c>, one file or shards)
/// strictly through <see cref="StrictStateDictLoader"/>: every module key must be in the files with its shape and
/// nothing else may be there. (The reference skips unknown or mis-shaped keys and randomly initialises missing
/// ones, so a wrong checkpoint "loads".) Tensors stream one at a time from the memory-mapped files into
/// parameters already allocated in the target dtype on the target device.
/// </summary>
public static class ExpertCheckpoint
{
    public static VaceWanTransformer Load(string expertDirectory, Device device, ScalarType dtype)
    {
        var config = WanTransformerConfig.Load(Path.Combine(expertDirectory, "config.json"));
        using var checkpoint = CheckpointFiles.Open(expertDirectory);
        return Load(config, checkpoint, expertDirectory, device, dtype);
    }

    /// <summary>The same from a parsed config and an open checkpoint (<paramref name="name"/> for messages).</summary>
    public static VaceWanTransformer Load(WanTransformerConfig config, ICheckpointReader checkpoint, string name, Device device, ScalarType dtype)
    {
        var model = new VaceWanTransformer(config, device, dtype);
        try
        {
            StrictStateDictLoader.Load(model, checkpoint, name);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
