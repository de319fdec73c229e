using Reframe.Wan.Modules;
using Reframe.Wan.Transformer;
using Reframe.Wan.Vae;
using Xunit.Abstractions;

namespace Reframe.Wan.Tests.Parity;

/// <summary>
/// Every full-size module against the key manifest of its real checkpoint, built on the meta device (no weights
/// allocated). One line per model: wan2 adds the transformer expert, wan3 the UMT5 encoder.
/// </summary>
[Trait("Category", "Parity")]
public class ManifestTests(ITestOutputHelper output)
{
    [Fact]
    public void WanVae_FullSize_MatchesTheWan21VaeManifest()
    {
        using var vae = new WanVae(WanVaeConfig.Wan21, ModuleInit.Meta);
        KeyManifest.AssertModuleMatches(output, "wan21_vae.json", vae);
    }

    [Fact]
    public void VaceWanTransformer_FullSize_MatchesTheA14BExpertManifest()
    {
        // The manifest's own config (the reference's real configuration) parses strictly to our A14B preset.
        var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(ParityKit.Path("manifests", "wan22_vace_fun_a14b_transformer.json")));
        var config = WanTransformerConfig.Parse(manifest.RootElement.GetProperty("config"));
        Assert.Equal(WanTransformerConfig.A14B.VaceLayers, config.VaceLayers);
        Assert.Equal(WanTransformerConfig.A14B.PatchSize, config.PatchSize);
        Assert.Equal(WanTransformerConfig.A14B with { PatchSize = config.PatchSize, VaceLayers = config.VaceLayers }, config);

        using var expert = new VaceWanTransformer(config, ModuleInit.Meta with { DType = TorchSharp.torch.ScalarType.BFloat16 });
        KeyManifest.AssertModuleMatches(output, "wan22_vace_fun_a14b_transformer.json", expert);
    }
}
