using System.Text.Json;
using Reframe.Wan.Text;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Text;

/// <summary>
/// The full-size UMT5-XXL encoder, built on the meta device (no memory), has exactly the keys, shapes and
/// dtype of the real <c>models_t5_umt5-xxl-enc-bf16.pth</c> as listed by the kit's manifest.
/// </summary>
[Trait("Category", "Parity")]
public class Umt5ManifestTests(ITestOutputHelper output)
{
    [Fact]
    public void FullSizeEncoder_HasEveryManifestKeyAndShape_WithoutAllocatingWeights()
    {
        string path = Path.Combine(KitCases.KitDirectory(), "manifests", "t5_umt5_xxl.json");
        using var manifest = JsonDocument.Parse(File.ReadAllText(path));
        var root = manifest.RootElement;
        var config = Umt5Config.FromJson(root.GetProperty("config"));
        Assert.Equal(Umt5Config.UmT5Xxl, config with { Dropout = 0 });

        using var encoder = new Umt5Encoder(config, META, bfloat16);
        var actual = encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var expected = root.GetProperty("tensors").EnumerateArray().ToDictionary(
            t => t.GetProperty("name").GetString()!,
            t => (Shape: t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                  DType: t.GetProperty("dtype").GetString()!));

        var missing = expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).ToList();
        var unexpected = actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ToList();
        var misShaped = expected.Keys.Intersect(actual.Keys)
            .Where(k => !expected[k].Shape.SequenceEqual(actual[k].shape) || expected[k].DType != "BF16")
            .ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
        Assert.True(unexpected.Count == 0, "unexpected: " + string.Join(", ", unexpected));
        Assert.True(misShaped.Count == 0, "mis-shaped: " + string.Join(", ", misShaped));
        Assert.All(actual.Values, t => Assert.True(t.is_meta && t.dtype == ScalarType.BFloat16));

        long parameters = actual.Values.Sum(t => t.numel());
        output.WriteLine($"{actual.Count} tensors, {parameters:N0} parameters (manifest: {root.GetProperty("num_tensors").GetInt32()}, {root.GetProperty("num_parameters").GetInt64():N0})");
        Assert.Equal(root.GetProperty("num_tensors").GetInt32(), actual.Count);
        Assert.Equal(root.GetProperty("num_parameters").GetInt64(), parameters);
    }
}
