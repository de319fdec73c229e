using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;

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
    /// <summary>Builds the expert where <paramref name="init"/> says and fills it from the folder's files.</summary>
    public static VaceWanTransformer Load(string expertDirectory, ModuleInit init)
    {
        var config = WanTransformerConfig.Load(Path.Combine(expertDirectory, "config.json"));
        using var checkpoint = CheckpointFiles.Open(expertDirectory);
        return Load(config, checkpoint, expertDirectory, init);
    }

    /// <summary>The same from a parsed config and an open checkpoint (<paramref name="name"/> for messages).</summary>
    public static VaceWanTransformer Load(WanTransformerConfig config, ICheckpointReader checkpoint, string name, ModuleInit init)
    {
        var model = new VaceWanTransformer(config, init);
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
