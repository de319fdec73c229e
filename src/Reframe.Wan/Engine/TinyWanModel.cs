using System.Text.Json;
using System.Text.Json.Nodes;
using Reframe.Wan.Checkpoints;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>
/// Writes a tiny random-weight model folder in the real <c>alibaba-pai/Wan2.2-VACE-Fun-A14B</c> layout from the
/// parity kit (<c>../shared/parity</c>), so the whole Wan path can be tried end to end on a laptop in seconds
/// (<c>scripts/tiny-wan-model.sh</c>). Its output is noise: the weights are random; the point is the plumbing.
/// Contents: the pipeline case's two experts (base width 64), the tiny bf16 UMT5 <c>.pth</c>, the tiny width-4 VAE
/// <c>.pth</c> and the tiny SentencePiece model. The kit's experts read 32-wide text and that encoder writes 48-wide
/// text, so each expert's <c>text_embedding.0.weight</c> is replaced by a seeded random [dim, 48] matrix and its
/// <c>config.json</c> says <c>text_dim: 48</c>; every other tensor is the kit's.
/// </summary>
public static class TinyWanModel
{
    /// <summary>Writes the folder into <paramref name="target"/> (created if needed) and returns its full path.</summary>
    public static string Write(string parityDirectory, string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parityDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        string Kit(params string[] parts) => Path.Combine([parityDirectory, .. parts]);
        var textEncoder = Kit("t5", "weights_tiny_b_pth", "t5_encoder_bf16.pth");
        var pipelineCase = Kit("pipeline", "v2v_mask_reframe_unipc6");
        foreach (var required in new[] { textEncoder, pipelineCase, Kit("vae", "weights_dim4", "Wan2.1_VAE.pth"), Kit("tokenizer", "tiny_umt5_v1000", "spiece.model") })
        {
            if (!File.Exists(required) && !Directory.Exists(required))
            {
                throw new FileNotFoundException($"the parity kit has no {required} (is ../shared/parity beside the repository?)", required);
            }
        }

        Directory.CreateDirectory(target);
        int textDim;
        using (var t5 = CheckpointFiles.Open(textEncoder))
        {
            textDim = (int)t5.Tensors["token_embedding.weight"].Shape[1];
        }

        WriteExpert(Path.Combine(pipelineCase, "high_noise_model"), Path.Combine(target, WanModelLayout.HighNoiseFolder), textDim, seed: 11);
        WriteExpert(Path.Combine(pipelineCase, "low_noise_model"), Path.Combine(target, WanModelLayout.LowNoiseFolder), textDim, seed: 12);
        File.Copy(textEncoder, Path.Combine(target, WanModelLayout.TextEncoderFile), overwrite: true);
        File.Copy(Kit("vae", "weights_dim4", "Wan2.1_VAE.pth"), Path.Combine(target, WanModelLayout.VaeFile), overwrite: true);
        var tokenizer = Path.Combine(target, WanModelLayout.TokenizerFolder);
        Directory.CreateDirectory(tokenizer);
        File.Copy(Kit("tokenizer", "tiny_umt5_v1000", "spiece.model"), Path.Combine(tokenizer, "spiece.model"), overwrite: true);
        File.WriteAllText(Path.Combine(target, "README.txt"),
            "A tiny RANDOM-WEIGHT Wan2.2-VACE-Fun-A14B folder in the real layout, written by scripts/tiny-wan-model.sh from the\n" +
            "parity kit. It exercises the whole Wan path (text encoder, VAE, both experts, windows) in seconds; its output is\n" +
            "noise. For real results point REFRAME_WAN_MODEL_DIR at the published weights.\n");
        return Path.GetFullPath(target);
    }

    private static void WriteExpert(string source, string target, int textDim, int seed)
    {
        Directory.CreateDirectory(target);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!.AsObject();
        config["text_dim"] = textDim;
        File.WriteAllText(Path.Combine(target, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        using var scope = NewDisposeScope();
        using var checkpoint = CheckpointFiles.Open(Path.Combine(source, "diffusion_pytorch_model.safetensors"));
        var tensors = checkpoint.Tensors.Keys.ToDictionary(k => k, k => checkpoint.ReadTensor(k, ScalarType.Float32));
        var old = tensors["text_embedding.0.weight"];                                          // [dim, 32]
        using var generator = new Generator((ulong)seed);
        tensors["text_embedding.0.weight"] = randn([old.shape[0], textDim], generator: generator) / Math.Sqrt(textDim);
        SafetensorsWriter.WriteFloat32(Path.Combine(target, "diffusion_pytorch_model.safetensors"), tensors);
    }
}
