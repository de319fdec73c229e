using System.Text.Json;
using Reframe.Wan.Text;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Text;

/// <summary>
/// UMT5 encoder parity against every <c>umt5_encoder_forward</c> case under the kit's <c>t5/</c> folder:
/// outputs and intermediates compared with the case's own tolerances (relative L2 in float64), and the
/// prompts re-tokenised and re-encoded through <see cref="Umt5TextEncoder"/> (the pipeline entry point).
/// </summary>
[Trait("Category", "Parity")]
public class T5ParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var folder in KitCases.Discover("t5", "umt5_encoder_forward"))
        {
            data.Add(Path.GetFileName(folder));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesReference_WithinCaseTolerance(string caseName)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        string caseFolder = Path.Combine(KitCases.KitDirectory(), "t5", caseName);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseFolder, "case.json")));
        var root = json.RootElement;
        using var encoder = LoadEncoder(caseFolder, root);
        var inputs = Safetensors.LoadStateDict(Path.Combine(caseFolder, "inputs.safetensors"));
        var expected = Safetensors.LoadStateDict(Path.Combine(caseFolder, "outputs.safetensors"));
        foreach (var (k, v) in Safetensors.LoadStateDict(Path.Combine(caseFolder, "intermediates.safetensors")))
        {
            expected[k] = v;
        }
        var tolerance = root.GetProperty("tolerance");

        var ids = inputs["input_ids"].to(int64);           // [B, L]
        var mask = inputs["attention_mask"].to(int64);     // [B, L]
        long length = ids.shape[1];
        using var trace = new Umt5Trace();
        var hidden = encoder.Forward(ids, mask, trace);    // [B, L, dim]

        var failures = new List<string>();
        void Check(string name, Tensor actual, string toleranceKey)
        {
            double limit = tolerance.GetProperty(toleranceKey).GetDouble();
            double error = KitCases.RelativeL2(actual, expected[name]);
            output.WriteLine($"{caseName} {name}: rel L2 {error:E3} (limit {limit:E0})");
            if (!(error <= limit))
            {
                failures.Add($"{name}: {error:E3} > {limit:E0}");
            }
        }

        Check("last_hidden_state", hidden, "last_hidden_state");
        Check("token_embedding_out", trace.Tensors[Umt5Trace.TokenEmbeddingOut], "token_embedding_out");
        Check("block_outputs", stack(trace.BlockOutputs.ToArray()), "block_outputs");
        Check("relative_position_buckets", encoder.blocks[0].pos_embedding!.Buckets(length, length).to(float32),
            "relative_position_buckets");
        if (expected.ContainsKey("pos_bias_block0"))
        {
            Check("pos_bias_block0", encoder.blocks[0].pos_embedding!.forward(length, length), "pos_bias_block0");
        }

        // The pipeline entry point: tokenise the case's prompts with the kit tokenizer, encode, un-pad.
        var tokenizer = LoadTokenizer(caseFolder, root);
        var call = root.GetProperty("call");
        var prompts = call.GetProperty("prompts").EnumerateArray().Select(p => p.GetString()!).ToList();
        var batch = tokenizer.EncodeBatch(prompts, (int)length);
        var expectedIds = ids.data<long>().ToArray();
        Assert.Equal(expectedIds, batch.InputIds);
        Assert.Equal(mask.data<long>().ToArray(), batch.AttentionMask);
        var embeds = new Umt5TextEncoder(tokenizer, encoder).Encode(prompts, (int)length);
        for (int i = 0; i < embeds.Count; i++)
        {
            using var e = embeds[i];
            Assert.Equal(expected[$"prompt_embeds.{i}"].shape, e.shape);
            Check($"prompt_embeds.{i}", e, "prompt_embeds.*");
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    private static Umt5Encoder LoadEncoder(string caseFolder, JsonElement root)
    {
        var weights = root.GetProperty("weights");
        string folder = Path.Combine(caseFolder, weights.GetProperty("folder").GetString()!);
        using var configJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        var config = Umt5Config.FromJson(configJson.RootElement.GetProperty("additional_kwargs"));
        var encoder = new Umt5Encoder(config);
        string file = Path.Combine(folder, weights.GetProperty("loaded_from").GetString()!);
        var stateDict = Safetensors.LoadStateDict(Path.ChangeExtension(file, ".safetensors").Replace("_bf16", "", StringComparison.Ordinal));
        var (missing, unexpected) = encoder.load_state_dict(stateDict, strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        encoder.eval();
        return encoder;
    }

    private static UmT5Tokenizer LoadTokenizer(string caseFolder, JsonElement root)
    {
        string folder = Path.Combine(caseFolder, root.GetProperty("tokenizer").GetProperty("folder").GetString()!);
        return UmT5Tokenizer.FromFolder(folder);
    }
}
