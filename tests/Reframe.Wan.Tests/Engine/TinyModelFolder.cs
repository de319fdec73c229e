using System.Text.Json;
using System.Text.Json.Nodes;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Engine;
using Reframe.Wan.Tests.Parity;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Engine;

/// <summary>
/// A tiny random-weight model folder in the real <c>alibaba-pai/Wan2.2-VACE-Fun-A14B</c> layout, assembled from the
/// kit's tiny weights: the pipeline case's two experts, the tiny UMT5 <c>.pth</c>, the tiny VAE <c>.pth</c> and the
/// tiny SentencePiece model. The kit's experts read 32-wide text and the tiny .pth encoder writes 48-wide text, so
/// the experts' <c>text_embedding.0.weight</c> is replaced by a seeded random [dim, 48] matrix and their
/// <c>config.json</c> says <c>text_dim: 48</c>; every other tensor is the kit's.
/// </summary>
public sealed class TinyModelFolder : IDisposable
{
    public TinyModelFolder()
    {
        Directory = Path.Combine(Path.GetTempPath(), "reframe-wan-tiny-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var textEncoder = ParityKit.Path("t5", "weights_tiny_b_pth", "t5_encoder_bf16.pth");
        int textDim;
        using (var t5 = CheckpointFiles.Open(textEncoder))
        {
            textDim = (int)t5.Tensors["token_embedding.weight"].Shape[1];
        }

        var pipelineCase = ParityKit.Path("pipeline", "v2v_mask_reframe_unipc6");
        WriteExpert(Path.Combine(pipelineCase, "high_noise_model"), WanModelLayout.HighNoiseFolder, textDim, seed: 11);
        WriteExpert(Path.Combine(pipelineCase, "low_noise_model"), WanModelLayout.LowNoiseFolder, textDim, seed: 12);
        File.Copy(textEncoder, Path.Combine(Directory, WanModelLayout.TextEncoderFile));
        File.Copy(ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.pth"), Path.Combine(Directory, WanModelLayout.VaeFile));
        var tokenizer = Path.Combine(Directory, WanModelLayout.TokenizerFolder);
        System.IO.Directory.CreateDirectory(tokenizer);
        File.Copy(ParityKit.Path("tokenizer", "tiny_umt5_v1000", "spiece.model"), Path.Combine(tokenizer, "spiece.model"));
    }

    public string Directory { get; }

    private void WriteExpert(string source, string folderName, int textDim, int seed)
    {
        var target = Path.Combine(Directory, folderName);
        System.IO.Directory.CreateDirectory(target);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!.AsObject();
        config["text_dim"] = textDim;
        File.WriteAllText(Path.Combine(target, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        using var scope = NewDisposeScope();
        using var checkpoint = CheckpointFiles.Open(Path.Combine(source, "diffusion_pytorch_model.safetensors"));
        var tensors = checkpoint.Tensors.Keys.ToDictionary(k => k, k => checkpoint.ReadTensor(k, ScalarType.Float32));
        var old = tensors["text_embedding.0.weight"];                                          // [dim, 32]
        var generator = new Generator((ulong)seed);
        tensors["text_embedding.0.weight"] = randn([old.shape[0], textDim], generator: generator) / Math.Sqrt(textDim);
        SafetensorsWriter.Write(Path.Combine(target, "diffusion_pytorch_model.safetensors"), tensors);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
