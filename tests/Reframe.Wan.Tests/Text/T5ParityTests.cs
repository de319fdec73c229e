using System.Text.Json;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Runtime;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Text;

/// <summary>
/// UMT5 encoder parity against every <c>umt5_encoder_forward</c> case under the kit's <c>t5/</c> folder. The
/// weights are read the way the case says (safetensors, or the bf16 <c>.pth</c> pickle) through the strict
/// loader; outputs and intermediates are compared at the case's own tolerances; then the case's prompts are
/// tokenised with the kit tokenizer and encoded through <see cref="Umt5TextEncoder"/>, the pipeline's entry point.
/// </summary>
[Trait("Category", "Parity")]
public class T5ParityTests(ITestOutputHelper output)
{
    /// <summary>README table: T5 outputs and block outputs 1e-5; buckets, embeddings, position bias exact.</summary>
    private const double OutputFallback = 1e-5;

    /// <summary>Every discovered case, with each attention kernel (both must reproduce the reference).</summary>
    public static TheoryData<string, T5AttentionKernel> Cases()
    {
        var data = new TheoryData<string, T5AttentionKernel>();
        foreach (string id in ParityKit.CaseIds("t5", kind => kind == "umt5_encoder_forward"))
        {
            data.Add(id, T5AttentionKernel.Fused);
            data.Add(id, T5AttentionKernel.Explicit);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesReference_WithinCaseTolerance(string caseId, T5AttentionKernel kernel)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var parityCase = ParityKit.Load(caseId);
        using var encoder = LoadEncoder(parityCase);
        encoder.SetAttentionKernel(kernel);
        output.WriteLine($"attention kernel: {kernel}");

        var ids = parityCase.Input("input_ids").to(int64);       // [B, L]
        var mask = parityCase.Input("attention_mask").to(int64); // [B, L]
        long length = ids.shape[1];
        using var trace = new Umt5Trace();
        var hidden = encoder.Forward(ids, mask, trace); // [B, L, dim]

        parityCase.Check(output, TensorRole.Output, "last_hidden_state", hidden, OutputFallback);
        parityCase.Check(output, TensorRole.Intermediate, "token_embedding_out",
            trace.Tensors[Umt5Trace.TokenEmbeddingOut], 0);
        parityCase.Check(output, TensorRole.Intermediate, "block_outputs", stack(trace.BlockOutputs.ToArray()),
            OutputFallback);
        var positions = encoder.Blocks[0].PositionEmbedding!;
        parityCase.Check(output, TensorRole.Intermediate, "relative_position_buckets",
            positions.Buckets(length, length).to(float32), 0);
        if (parityCase.Has(TensorRole.Intermediate, "pos_bias_block0"))
        {
            parityCase.Check(output, TensorRole.Intermediate, "pos_bias_block0", positions.forward(length, length), 0);
        }

        // The pipeline entry point: the case's prompts through the kit tokenizer and Umt5TextEncoder.
        string tokenizerFolder = parityCase.PathOf(
            parityCase.Json.GetProperty("tokenizer").GetProperty("folder").GetString()!);
        var tokenizer = UmT5Tokenizer.FromFolder(tokenizerFolder);
        var prompts = parityCase.Json.GetProperty("call").GetProperty("prompts").EnumerateArray()
            .Select(p => p.GetString()!).ToList();
        var batch = tokenizer.EncodeBatch(prompts, (int)length);
        Assert.Equal(ids.data<long>().ToArray(), batch.InputIds);
        Assert.Equal(mask.data<long>().ToArray(), batch.AttentionMask);
        var (config, weightsPath) = Weights(parityCase);
        var textEncoder = Umt5TextEncoder.FromFiles(tokenizerFolder, weightsPath, config, WanRuntime.CpuFloat32);
        using var loadedEncoder = textEncoder.Encoder;
        loadedEncoder.SetAttentionKernel(kernel);
        var embeds = textEncoder.Encode(prompts, (int)length);
        Assert.Equal(prompts.Count, embeds.Count);
        for (int i = 0; i < embeds.Count; i++)
        {
            using var embed = embeds[i]; // [L_i, dim]
            parityCase.Check(output, TensorRole.Output, $"prompt_embeds.{i}", embed, OutputFallback);
        }
    }

    private static Umt5Encoder LoadEncoder(ParityCase parityCase)
    {
        var (config, weightsPath) = Weights(parityCase);
        var encoder = new Umt5Encoder(config, ModuleInit.CpuFloat32);
        StrictStateDictLoader.Load(encoder, weightsPath);
        encoder.eval();
        return encoder;
    }

    /// <summary>
    /// The case's encoder configuration (its own <c>config</c>, else the weight folder's <c>config.json</c>) and
    /// the checkpoint file it was loaded from (<c>weights.loaded_from</c>, else the first of <c>weights.files</c>).
    /// </summary>
    private static (Umt5Config Config, string Path) Weights(ParityCase parityCase)
    {
        var weights = parityCase.Json.GetProperty("weights");
        string folder = parityCase.PathOf(weights.GetProperty("folder").GetString()!);
        Umt5Config config;
        if (parityCase.Json.TryGetProperty("config", out var caseConfig))
        {
            config = Umt5Config.FromJson(caseConfig);
        }
        else
        {
            using var configJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
            config = Umt5Config.FromJson(configJson.RootElement.GetProperty("additional_kwargs"));
        }
        string file = weights.TryGetProperty("loaded_from", out var loadedFrom)
            ? loadedFrom.GetString()!
            : weights.GetProperty("files")[0].GetString()!;
        return (config, Path.Combine(folder, file));
    }
}
