using System.Text.Json;
using Reframe.Wan.Text;
using Xunit.Abstractions;

namespace Reframe.Wan.Tests.Text;

/// <summary>
/// Tokenizer parity against every <c>umt5_tokenizer</c> case under the kit's <c>tokenizer/</c> folder: ids of
/// every string exact, for the pipeline variant (fast tokenizer, unknown runs fused to one &lt;unk&gt;) and the
/// byte-fallback variant (SentencePiece's own behaviour).
/// </summary>
[Trait("Category", "Parity")]
public class TokenizerParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in KitCases.Discover("tokenizer", "umt5_tokenizer"))
        {
            data.Add(folder, "pipeline");
            data.Add(folder, "pipeline_spm_byte_fallback");
            // wan_clean stores the already-cleaned text as input_text: the same tokenizer must reproduce it.
            data.Add(folder, "wan_clean");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_MatchesReferenceIds_ForEveryString(string caseFolder, string variant)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseFolder, "case.json")));
        var root = json.RootElement;
        var tokenizerSpec = root.GetProperty("tokenizer");
        string modelPath = Path.GetFullPath(Path.Combine(caseFolder, tokenizerSpec.GetProperty("folder").GetString()!,
            tokenizerSpec.GetProperty("model_file").GetString()!));
        int maxLength = root.GetProperty("max_length").GetInt32();
        var tokenizer = new UmT5Tokenizer(SentencePieceModel.Load(modelPath),
            byteFallback: variant == "pipeline_spm_byte_fallback");

        int mismatches = 0, count = 0;
        foreach (var entry in root.GetProperty("strings").EnumerateArray())
        {
            var expected = entry.GetProperty(variant);
            string text = expected.GetProperty("input_text").GetString()!;
            var expectedIds = expected.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var actual = tokenizer.Encode(text, maxLength);
            count++;
            if (!expectedIds.SequenceEqual(actual))
            {
                mismatches++;
                output.WriteLine($"string {entry.GetProperty("index").GetInt32()}: expected [{string.Join(", ", expectedIds)}]");
                output.WriteLine($"  got [{string.Join(", ", actual)}] normalized '{tokenizer.Normalize(text)}'");
            }
        }
        output.WriteLine($"{Path.GetFileName(caseFolder)} {variant}: {count - mismatches}/{count} strings exact");
        Assert.Equal(0, mismatches);
    }
}
