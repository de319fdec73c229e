using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Text;

/// <summary>
/// Tokenizer parity against every <c>umt5_tokenizer</c> case under the kit's <c>tokenizer/</c> folder: the
/// unpadded ids of every string and the padded <c>input_ids</c>/<c>attention_mask</c> batch, exact.
/// Variants: <c>pipeline</c> (the fast tokenizer: unknown runs fused into one &lt;unk&gt;; the port's target),
/// <c>pipeline_spm_byte_fallback</c> (byte fallback on), and <c>wan_clean</c> (its <c>input_text</c> is the
/// already-cleaned prompt, which the same tokenizer must reproduce).
/// </summary>
[Trait("Category", "Parity")]
public class TokenizerParityTests(ITestOutputHelper output)
{
    private const string ByteFallbackVariant = "pipeline_spm_byte_fallback";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string id in ParityKit.CaseIds("tokenizer", kind => kind == "umt5_tokenizer"))
        {
            using var parityCase = ParityKit.Load(id);
            foreach (var variant in parityCase.Json.GetProperty("variants").EnumerateObject())
            {
                data.Add(id, variant.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodeBatch_MatchesReferenceIdsAndMask_ForEveryString(string caseId, string variant)
    {
        using var scope = NewDisposeScope();
        using var parityCase = ParityKit.Load(caseId);
        var root = parityCase.Json;
        var spec = root.GetProperty("tokenizer");
        string modelPath = parityCase.PathOf(Path.Combine(spec.GetProperty("folder").GetString()!,
            spec.GetProperty("model_file").GetString()!));
        int maxLength = root.GetProperty("max_length").GetInt32();
        var tokenizer = new UmT5Tokenizer(SentencePieceModel.Load(modelPath), byteFallback: variant == ByteFallbackVariant);

        var texts = new List<string>();
        int mismatches = 0;
        foreach (var entry in root.GetProperty("strings").EnumerateArray())
        {
            var expected = entry.GetProperty(variant);
            string text = expected.GetProperty("input_text").GetString()!;
            texts.Add(text);
            var expectedIds = expected.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var actual = tokenizer.Encode(text, maxLength);
            if (!expectedIds.SequenceEqual(actual))
            {
                mismatches++;
                output.WriteLine($"string {entry.GetProperty("index").GetInt32()}: expected [{string.Join(", ", expectedIds)}]");
                output.WriteLine($"  got [{string.Join(", ", actual)}] from normalised '{tokenizer.Normalize(text)}'");
            }
        }
        output.WriteLine($"{caseId} {variant}: {texts.Count - mismatches}/{texts.Count} strings exact");
        Assert.Equal(0, mismatches);

        var batch = tokenizer.EncodeBatch(texts, maxLength);
        var ids = tensor(batch.InputIds, [batch.Count, maxLength], int64).to(float32);
        var mask = tensor(batch.AttentionMask, [batch.Count, maxLength], int64).to(float32);
        parityCase.Check(output, TensorRole.Output, $"{variant}.input_ids", ids, 0);
        parityCase.Check(output, TensorRole.Output, $"{variant}.attention_mask", mask, 0);
    }
}
