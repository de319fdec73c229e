using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>
/// Prompt to embeddings exactly as the pipeline's <c>_get_t5_prompt_embeds</c> does it: tokenise with
/// <c>padding='max_length'</c> (truncation, <c>&lt;/s&gt;</c> appended), run the encoder on the padded batch
/// with its attention mask, and return each prompt's rows up to its real length (<c>&lt;/s&gt;</c> included).
/// The transformer zero-pads these back to its <c>text_len</c> itself; the encoder's padded rows are never used.
/// </summary>
public sealed class Umt5TextEncoder
{
    /// <summary>The pipeline's <c>max_sequence_length</c> default (and the DiT's <c>text_len</c>).</summary>
    public const int DefaultMaxLength = 512;

    public Umt5TextEncoder(UmT5Tokenizer tokenizer, Umt5Encoder encoder)
    {
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        Encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
    }

    public UmT5Tokenizer Tokenizer { get; }

    /// <summary>
    /// Loads the tokenizer (<c>google/umt5-xxl/</c>) and the UMT5-XXL encoder
    /// (<c>models_t5_umt5-xxl-enc-bf16.pth</c>, strict: every key and shape must match) from a model folder,
    /// building the encoder directly in the runtime's dtype on its device.
    /// </summary>
    /// <remarks>The size is read off the checkpoint's shapes (<see cref="Umt5Config.FromCheckpoint"/>).</remarks>
    public static Umt5TextEncoder FromModelFolder(string modelFolder, WanRuntime runtime) =>
        FromFiles(Umt5ModelFiles.TokenizerPath(modelFolder), Umt5ModelFiles.EncoderPath(modelFolder), config: null,
            runtime);

    /// <summary>
    /// The same from explicit paths; <paramref name="config"/> null reads it off the checkpoint, otherwise the
    /// checkpoint must match it exactly (strict load).
    /// </summary>
    public static Umt5TextEncoder FromFiles(string tokenizerFolder, string encoderCheckpoint, Umt5Config? config,
        WanRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        using var checkpoint = CheckpointFiles.Open(encoderCheckpoint);
        return Load(tokenizerFolder, checkpoint, encoderCheckpoint, config, new ModuleInit(runtime.DType, runtime.Device));
    }

    /// <summary>
    /// The one loader of the text side (every other entry point ends here): the tokenizer from its folder and the
    /// encoder from an already open checkpoint, built directly where <paramref name="init"/> says
    /// (never a float32 CPU copy of the 5.7 B parameters first), strict (every key and shape must match), in eval mode,
    /// its weights owned by the module (<see cref="ModuleOwnership.OwnWeights"/>) whatever dispose scope is current.
    /// </summary>
    public static Umt5TextEncoder Load(string tokenizerFolder, ICheckpointReader checkpoint, string checkpointName,
        Umt5Config? config, ModuleInit init)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var tokenizer = UmT5Tokenizer.FromFolder(tokenizerFolder);
        var encoder = new Umt5Encoder(config ?? Umt5Config.FromCheckpoint(checkpoint), init).OwnWeights();
        try
        {
            StrictStateDictLoader.Load(encoder, checkpoint, checkpointName);
            encoder.eval();
        }
        catch
        {
            encoder.Dispose();
            throw;
        }

        return new Umt5TextEncoder(tokenizer, encoder);
    }

    public Umt5Encoder Encoder { get; }

    /// <summary>
    /// Un-padded embeddings <c>[L_i, dim]</c>, one per prompt, in the encoder's dtype and on its device. The
    /// tensors are outside any dispose scope: the caller owns them.
    /// </summary>
    public IReadOnlyList<Tensor> Encode(IReadOnlyList<string> prompts, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
        {
            return [];
        }
        var batch = Tokenizer.EncodeBatch(prompts, maxLength);
        return Encode(batch);
    }

    /// <summary>The same from an already tokenised batch.</summary>
    public IReadOnlyList<Tensor> Encode(TokenizedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var device = Encoder.Device;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = tensor(batch.InputIds, [batch.Count, batch.MaxLength], int64, device);       // [B, L]
        var mask = tensor(batch.AttentionMask, [batch.Count, batch.MaxLength], int64, device); // [B, L]
        var hidden = Encoder.forward(ids, mask);                                               // [B, L, dim]
        var result = new List<Tensor>(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            var embeds = hidden[i, ..batch.SequenceLengths[i]].contiguous(); // [L_i, dim]
            embeds.MoveToOuterDisposeScope();
            result.Add(embeds);
        }
        return result;
    }
}
