using System.Text.Json;
using Reframe.Wan.Vae;
using Reframe.Wan.Tests.Parity;

namespace Reframe.Wan.Tests.Vae;

public class WanVaeTests
{
    [Fact]
    public void LatentStats_AreTheManifestConstants()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ParityKit.Path("manifests", "wan21_vae.json")));
        var mean = json.RootElement.GetProperty("latents_mean").EnumerateArray().Select(e => (float)e.GetDouble());
        var std = json.RootElement.GetProperty("latents_std").EnumerateArray().Select(e => (float)e.GetDouble());
        Assert.Equal(mean, WanVaeLatentStats.Mean);
        Assert.Equal(std, WanVaeLatentStats.Std);
    }

    [Fact]
    public void Encode_Throws_WhenTheVideoIsNotFiveDimensional()
    {
        using var vae = new WanVae(WanVaeConfig.Wan21 with { Dim = 4 }, Reframe.Wan.Modules.ModuleInit.CpuFloat32);
        using var image = TorchSharp.torch.zeros(1, 3, 64, 64);
        Assert.Throws<ArgumentException>(() => vae.Encode(image));
    }
}
