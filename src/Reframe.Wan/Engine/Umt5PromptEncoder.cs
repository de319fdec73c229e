using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>
/// The pipeline's text side: the umT5 tokenizer and the UMT5 encoder loaded from <c>models_t5_umt5-xxl-enc-bf16.pth</c>.
/// Disposing it frees the encoder's weights (11.4 GB in bf16), which the engine does before the first expert loads.
/// </summary>
public sealed class Umt5PromptEncoder : IPromptEncoder
{
    private readonly Umt5TextEncoder _text;
    private readonly Device _device;

    private Umt5PromptEncoder(Umt5TextEncoder text, Device device)
    {
        _text = text;
        _device = device;
    }

    /// <summary>Loads the tokenizer folder and the encoder checkpoint (its size is read from the tensor shapes).</summary>
    public static Umt5PromptEncoder Load(string tokenizerDirectory, string checkpointPath, Device device, ScalarType dtype)
    {
        var tokenizer = UmT5Tokenizer.FromFolder(tokenizerDirectory);
        using var checkpoint = CheckpointFiles.Open(checkpointPath);
        // Built where it runs (bf16 on the GPU): never a float32 CPU copy of the 5.7 B parameters first.
        var encoder = new Umt5Encoder(ConfigFromCheckpoint(checkpoint), device, dtype).OwnWeights();
        try
        {
            StrictStateDictLoader.Load(encoder, checkpoint, checkpointPath);
            encoder.eval();
            return new Umt5PromptEncoder(new Umt5TextEncoder(tokenizer, encoder), device);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The encoder's size from its tensors: vocab and width from <c>token_embedding</c>, layers from the block
    /// count, FFN width from <c>fc1</c>, heads from the per-layer position table <c>[buckets, heads]</c>. The real
    /// file gives <see cref="Umt5Config.UmT5Xxl"/>.
    /// </summary>
    public static Umt5Config ConfigFromCheckpoint(ICheckpointReader checkpoint)
    {
        var tensors = checkpoint.Tensors;
        var embedding = tensors["token_embedding.weight"].Shape;
        int layers = tensors.Keys.Count(k => k.StartsWith("blocks.", StringComparison.Ordinal) && k.EndsWith(".norm1.weight", StringComparison.Ordinal));
        var fc1 = tensors["blocks.0.ffn.fc1.weight"].Shape;
        var q = tensors["blocks.0.attn.q.weight"].Shape;
        var positions = tensors["blocks.0.pos_embedding.embedding.weight"].Shape;
        return new Umt5Config(
            Vocab: (int)embedding[0], Dim: (int)embedding[1], DimAttn: (int)q[0], DimFfn: (int)fc1[0],
            NumHeads: (int)positions[1], NumLayers: layers, NumBuckets: (int)positions[0], SharedPos: false);
    }

    /// <summary>[L, dim] embeddings of one prompt (its real length, <c>&lt;/s&gt;</c> included).</summary>
    public Tensor Encode(string prompt, int maxLength)
    {
        // Umt5TextEncoder returns tensors outside any dispose scope; hand back one owned by the caller's scope.
        using var raw = _text.Encode([prompt], maxLength)[0];
        return raw.to(_device).clone();
    }

    public void Dispose() => _text.Encoder.Dispose();
}
