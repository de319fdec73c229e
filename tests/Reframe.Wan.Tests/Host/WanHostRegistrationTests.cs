using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Reframe.Wan.Engine;
using Reframe.Wan.Host;

namespace Reframe.Wan.Tests.Host;

public class WanHostRegistrationTests
{
    [Fact]
    public void AddWanEngine_LeavesTheClassicEngine_WhenNoModelFolderIsConfigured()
    {
        var builder = WebApplication.CreateBuilder();
        Assert.False(WanHostRegistration.AddWanEngine(builder));
    }

    [Fact]
    public void AddWanEngine_FailsAtStartUp_NamingWhatIsMissing()
    {
        var empty = Directory.CreateTempSubdirectory("reframe-wan-empty-");
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [WanHostRegistration.ModelDirectoryKey] = empty.FullName,
                [WanHostRegistration.DeviceKey] = "cpu",
            });

            var error = Assert.Throws<InvalidOperationException>(() => WanHostRegistration.AddWanEngine(builder));
            foreach (var item in new[] { "high_noise_model/config.json", "low_noise_model/diffusion_pytorch_model*.safetensors",
                         WanModelLayout.TextEncoderFile, WanModelLayout.VaeFile, "google/umt5-xxl/spiece.model" })
            {
                Assert.Contains(item, error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
