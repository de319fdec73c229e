using System.Text.Json;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Transformer;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Transformer;

/// <summary>
/// Builds one full-size A14B expert on the meta device (no weight memory) and checks that its state-dict keys and
/// shapes are exactly the 1331 tensors of the real checkpoint, as listed by the kit manifest.
/// </summary>
[Trait("Category", "Parity")]
public class TransformerManifestTests
{
    [Fact]
    public void VaceWanTransformer_StateDict_MatchesRealCheckpointManifest_AtFullSize()
    {
        var manifestPath = Path.Combine(CaseFiles.KitDirectory, "manifests", "wan22_vace_fun_a14b_transformer.json");
        using var stream = File.OpenRead(manifestPath);
        using var manifest = JsonDocument.Parse(stream);
        var root = manifest.RootElement;
        var config = WanTransformerConfig.Parse(root.GetProperty("config"));
        Assert.Equal(WanTransformerConfig.A14B with { PatchSize = config.PatchSize, VaceLayers = config.VaceLayers }, config);

        var expected = root.GetProperty("tensors").EnumerateArray().ToDictionary(
            t => t.GetProperty("name").GetString()!,
            t => t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
        Assert.Equal(root.GetProperty("num_tensors").GetInt32(), expected.Count);

        using var model = new VaceWanTransformer(config, device: new Device(TorchSharp.DeviceType.META), dtype: ScalarType.BFloat16);
        var actual = model.state_dict();
        Assert.True(actual.Values.All(t => t.device_type == TorchSharp.DeviceType.META), "the skeleton must not allocate weights");

        var missing = expected.Keys.Except(actual.Keys).ToList();
        var unexpected = actual.Keys.Except(expected.Keys).ToList();
        var misShaped = expected.Keys.Intersect(actual.Keys).Where(k => !expected[k].SequenceEqual(actual[k].shape)).ToList();
        Assert.True(missing.Count + unexpected.Count + misShaped.Count == 0,
            $"missing [{string.Join(", ", missing)}] unexpected [{string.Join(", ", unexpected)}] mis-shaped [{string.Join(", ", misShaped)}]");
        Assert.Equal(root.GetProperty("num_parameters").GetInt64(), actual.Values.Sum(t => t.numel()));
    }
}
