using static TorchSharp.torch;

namespace Reframe.Wan.Pipelines;

/// <summary>
/// Prompt to text embeddings as the reference pipeline hands them to the transformer: tokenised with padding to
/// 512 and <c>&lt;/s&gt;</c>, encoded by UMT5, then trimmed to the real length (<c>[seq_len, 4096]</c>). Disposing
/// it frees the encoder (the pipeline does so before the first expert is loaded).
/// </summary>
public interface IPromptEncoder : IDisposable
{
    /// <param name="prompt">The prompt, raw (the reference pipeline does no cleaning).</param>
    /// <param name="maxLength">The pipeline's <c>max_sequence_length</c>: 512, the experts' <c>text_len</c>.</param>
    Tensor Encode(string prompt, int maxLength);
}
