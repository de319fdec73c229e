using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Text;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>
/// The pipeline's text side, resident for the engine's lifetime: the umT5 tokenizer and the UMT5 encoder. Its
/// weights live where the offload plan puts them (<see cref="Home"/>); when that is host memory while the experts
/// run on a GPU, <see cref="Encode"/> brings the encoder to the execution device for the prompts and sends it back,
/// so it never sits beside an expert (11.4 GB in bf16).
/// </summary>
public sealed class Umt5PromptEncoder : IPromptEncoder
{
    private readonly Umt5TextEncoder _text;
    private readonly Device _device;

    private Umt5PromptEncoder(Umt5TextEncoder text, Device device, Device home)
    {
        _text = text;
        _device = device;
        Home = home;
    }

    /// <summary>Where the weights live between tasks.</summary>
    public Device Home { get; }

    /// <summary>Seconds spent moving the encoder to and from the device (for <c>meta.timings.load</c>).</summary>
    public double TransferSeconds { get; private set; }

    /// <summary>
    /// Loads the text side from an open checkpoint through <see cref="Umt5TextEncoder.Load"/>, built where it lives
    /// between tasks: <paramref name="home"/> (host memory when the plan offloads it), else <paramref name="device"/>.
    /// </summary>
    public static Umt5PromptEncoder Load(string tokenizerDirectory, ICheckpointReader checkpoint, string checkpointName,
        Device device, ScalarType dtype, Device? home = null)
    {
        var where = home ?? device;
        return new Umt5PromptEncoder(Umt5TextEncoder.Load(tokenizerDirectory, checkpoint, checkpointName, config: null, new ModuleInit(dtype, where)), device, where);
    }

    /// <summary>Opens the checkpoint file and loads it (tests, tools).</summary>
    public static Umt5PromptEncoder Load(string tokenizerDirectory, string checkpointPath, Device device, ScalarType dtype)
    {
        using var checkpoint = CheckpointFiles.Open(checkpointPath);
        return Load(tokenizerDirectory, checkpoint, checkpointPath, device, dtype);
    }

    /// <summary>[L, dim] embeddings of one prompt (its real length, <c>&lt;/s&gt;</c> included), on the execution device.</summary>
    public Tensor Encode(string prompt, int maxLength)
    {
        bool visiting = Home.type != _device.type || Home.index != _device.index;
        if (visiting)
        {
            Move(_device);
        }

        try
        {
            // Umt5TextEncoder returns tensors outside any dispose scope; hand back one owned by the caller's scope.
            using var raw = _text.Encode([prompt], maxLength)[0];
            return raw.to(_device).clone();
        }
        finally
        {
            if (visiting)
            {
                Move(Home);
            }
        }
    }

    private void Move(Device device)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        ModuleResidency.MoveTo(_text.Encoder, device);
        TransferSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    public void Dispose() => _text.Encoder.Dispose();
}
