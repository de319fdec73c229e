using Reframe.Server.Tests.Infrastructure;
using Reframe.Wan.Engine;

namespace Reframe.Server.Tests.Engines;

/// <summary>
/// <c>dotnet Reframe.Server.dll</c> as users start it, with <c>REFRAME_WAN_MODEL_DIR</c> pointing at a broken folder:
/// the process must stop with status 1 and a message naming each missing or wrong file, never fall back to the
/// classic engine.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class WanStartupTests
{
    [Fact]
    public async Task Server_ExitsNamingEveryMissingAndWrongFile_WhenTheModelFolderIsBroken()
    {
        var model = WanModelFolders.CreateTiny();
        try
        {
            // Missing: the text encoder. Wrong: the low-noise expert says it is wider than its weights are.
            File.Delete(Path.Combine(model, WanModelLayout.TextEncoderFile));
            var config = Path.Combine(model, WanModelLayout.LowNoiseFolder, "config.json");
            File.WriteAllText(config, File.ReadAllText(config).Replace("\"dim\": 64", "\"dim\": 96", StringComparison.Ordinal));

            var (exitCode, output) = await RunServerAsync(model);
            Assert.Equal(1, exitCode);
            Assert.Contains(WanModelLayout.TextEncoderFile, output, StringComparison.Ordinal);

            // With the text encoder back, the wrong expert is named, with its mis-shaped keys.
            File.Copy(Path.Combine(WanModelFolders.ParityDirectory, "t5", "weights_tiny_b_pth", "t5_encoder_bf16.pth"),
                Path.Combine(model, WanModelLayout.TextEncoderFile));
            (exitCode, output) = await RunServerAsync(model);
            Assert.Equal(1, exitCode);
            Assert.Contains("low_noise_model/diffusion_pytorch_model", output, StringComparison.Ordinal);
            Assert.Contains("mis-shaped", output, StringComparison.Ordinal);
            Assert.DoesNotContain("high_noise_model", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        }
        finally
        {
            WanModelFolders.Delete(model);
        }
    }

    private static Task<(int ExitCode, string Output)> RunServerAsync(string modelDirectory) =>
        ChildServer.RunToExitAsync(new Dictionary<string, string?>
        {
            ["REFRAME_API_KEYS"] = "startup-test-key-0123456789",
            [WanEngineOptions.ModelDirectoryKey] = modelDirectory,
            [WanEngineOptions.DeviceKey] = "cpu",
        }, TimeSpan.FromSeconds(90));
}
