namespace Reframe.Wan.Engine;

/// <summary>
/// The published <c>alibaba-pai/Wan2.2-VACE-Fun-A14B</c> folder layout, resolved against a model directory:
/// <code>
/// high_noise_model/  config.json + diffusion_pytorch_model*.safetensors (one file or shards + index json)
/// low_noise_model/   the same
/// models_t5_umt5-xxl-enc-bf16.pth    UMT5-XXL encoder
/// Wan2.1_VAE.pth                     VAE (a .safetensors with the same stem and keys is accepted too)
/// google/umt5-xxl/                   tokenizer (spiece.model; tokenizer.json optional)
/// </code>
/// </summary>
public sealed class WanModelLayout(string modelDirectory)
{
    public const string HighNoiseFolder = "high_noise_model";
    public const string LowNoiseFolder = "low_noise_model";
    public const string TextEncoderFile = "models_t5_umt5-xxl-enc-bf16.pth";
    public const string VaeFile = "Wan2.1_VAE.pth";
    public const string TokenizerFolder = "google/umt5-xxl";

    public string ModelDirectory { get; } = Path.GetFullPath(modelDirectory);

    public string HighNoiseDirectory => Path.Combine(ModelDirectory, HighNoiseFolder);
    public string LowNoiseDirectory => Path.Combine(ModelDirectory, LowNoiseFolder);
    public string TextEncoderPath => Path.Combine(ModelDirectory, TextEncoderFile);
    public string TokenizerDirectory => Path.Combine(ModelDirectory, TokenizerFolder);

    /// <summary>The VAE file: the real <c>.pth</c>, or a converted <c>.safetensors</c> beside it.</summary>
    public string VaePath
    {
        get
        {
            var pth = Path.Combine(ModelDirectory, VaeFile);
            var safetensors = Path.ChangeExtension(pth, ".safetensors");
            return !File.Exists(pth) && File.Exists(safetensors) ? safetensors : pth;
        }
    }

    public string ExpertDirectory(Pipelines.ExpertKind kind) =>
        kind == Pipelines.ExpertKind.HighNoise ? HighNoiseDirectory : LowNoiseDirectory;

    /// <summary>Every required item that is absent, as paths relative to the model directory.</summary>
    public IReadOnlyList<string> FindMissing()
    {
        var missing = new List<string>();
        if (!Directory.Exists(ModelDirectory))
        {
            missing.Add("(the model directory itself)");
            return missing;
        }

        foreach (var folder in new[] { HighNoiseFolder, LowNoiseFolder })
        {
            var directory = Path.Combine(ModelDirectory, folder);
            if (!File.Exists(Path.Combine(directory, "config.json")))
            {
                missing.Add($"{folder}/config.json");
            }

            if (!Directory.Exists(directory) || Directory.GetFiles(directory, "diffusion_pytorch_model*.safetensors").Length == 0)
            {
                missing.Add($"{folder}/diffusion_pytorch_model*.safetensors");
            }
        }

        if (!File.Exists(TextEncoderPath))
        {
            missing.Add(TextEncoderFile);
        }

        if (!File.Exists(VaePath))
        {
            missing.Add(VaeFile);
        }

        if (!File.Exists(Path.Combine(TokenizerDirectory, "spiece.model")))
        {
            missing.Add($"{TokenizerFolder}/spiece.model");
        }

        return missing;
    }

    /// <summary>Throws a start-up error naming every missing item.</summary>
    public void RequireComplete()
    {
        var missing = FindMissing();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The Wan model directory '{ModelDirectory}' is incomplete (expected the alibaba-pai/Wan2.2-VACE-Fun-A14B layout). Missing: {string.Join(", ", missing)}.");
        }
    }
}
