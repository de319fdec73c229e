namespace Reframe.Wan.Text;

/// <summary>
/// Where the text side lives inside a Wan2.2-VACE-Fun-A14B model folder (VideoX-Fun's
/// <c>text_encoder_kwargs</c>: <c>text_encoder_subpath</c> and <c>tokenizer_subpath</c>).
/// </summary>
public static class Umt5ModelFiles
{
    /// <summary>The encoder-only UMT5-XXL state dict, bf16 pickle.</summary>
    public const string EncoderFile = "models_t5_umt5-xxl-enc-bf16.pth";

    /// <summary>The Hugging Face tokenizer folder (<c>spiece.model</c>, optionally <c>tokenizer.json</c>).</summary>
    public static readonly string TokenizerFolder = Path.Combine("google", "umt5-xxl");

    public static string EncoderPath(string modelFolder) => Path.Combine(modelFolder, EncoderFile);

    public static string TokenizerPath(string modelFolder) => Path.Combine(modelFolder, TokenizerFolder);
}
