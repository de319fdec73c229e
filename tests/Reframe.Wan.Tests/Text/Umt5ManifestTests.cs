using System.Text.Json;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Tests.Parity;
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
        string path = ParityKit.Path("manifests", "t5_umt5_xxl.json");
        using var manifest = JsonDocument.Parse(File.ReadAllText(path));
        var root = manifest.RootElement;
        var config = Umt5Config.FromJson(root.GetProperty("config"));
        Assert.Equal(Umt5Config.UmT5Xxl, config with { Dropout = 0 });

        using var encoder = new Umt5Encoder(config, ModuleInit.Meta with { DType = bfloat16 });
        var expected = root.GetProperty("tensors").EnumerateArray().Select(t => new ShapedKey(
            t.GetProperty("name").GetString()!,
            t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray())).ToList();
        // The loader reads the size off the checkpoint: on the real file's shapes it must give the real config.
        Assert.Equal(Umt5Config.UmT5Xxl, Umt5Config.FromShapes(expected.ToDictionary(k => k.Name, k => k.Shape)));
        var mismatch = StateDictMismatch.Compare(expected, StrictStateDictLoader.Keys(encoder));
        Assert.True(mismatch.IsEmpty, mismatch.Describe());
        Assert.All(root.GetProperty("tensors").EnumerateArray(), t => Assert.Equal("BF16", t.GetProperty("dtype").GetString()));
        var actual = StrictStateDictLoader.Entries(encoder);
        Assert.All(actual, e => Assert.True(e.Tensor.is_meta && e.Tensor.dtype == ScalarType.BFloat16, e.Name));

        long parameters = actual.Sum(e => e.Tensor.numel());
        output.WriteLine($"{actual.Count} tensors, {parameters:N0} parameters (manifest: {root.GetProperty("num_tensors").GetInt32()}, {root.GetProperty("num_parameters").GetInt64():N0})");
        Assert.Equal(root.GetProperty("num_tensors").GetInt32(), actual.Count);
        Assert.Equal(root.GetProperty("num_parameters").GetInt64(), parameters);
    }
}
