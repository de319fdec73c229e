using Reframe.Wan.Modules;
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
}
