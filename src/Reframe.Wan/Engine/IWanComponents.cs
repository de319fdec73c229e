using Reframe.Wan.Pipelines;
using Reframe.Wan.Transformer;

namespace Reframe.Wan.Engine;

/// <summary>
/// Loads the model's parts on demand, so that the engine decides what is resident when: an expert per call of
/// <see cref="LoadExpert"/> (the caller disposes it), the text encoder per task (disposed after encoding), the VAE
/// once (small).
/// </summary>
public interface IWanComponents
{
    /// <summary>Builds one expert on the execution device and loads its weights strictly.</summary>
    VaceWanTransformer LoadExpert(ExpertKind kind);

    /// <summary>Tokenizer + UMT5 on the execution device; disposing frees the encoder's weights.</summary>
    IPromptEncoder OpenPromptEncoder();

    /// <summary>The experts' <c>text_len</c> (512 for the real model), used as the tokenizer length.</summary>
    int TextLength { get; }

    /// <summary>The VAE (kept for the engine's lifetime).</summary>
    IWanVae Vae { get; }
}
