using System.Diagnostics;
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

    private static async Task<(int ExitCode, string Output)> RunServerAsync(string modelDirectory)
    {
        var data = Directory.CreateTempSubdirectory("reframe-wan-startup-").FullName;
        try
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reframe.Server.dll"));
            foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("REFRAME_", StringComparison.Ordinal)).ToList())
            {
                psi.Environment.Remove(key);
            }

            psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
            psi.Environment["REFRAME_DATA_DIR"] = data;
            psi.Environment["REFRAME_API_KEYS"] = "startup-test-key-0123456789";
            psi.Environment[WanEngineOptions.ModelDirectoryKey] = modelDirectory;
            psi.Environment[WanEngineOptions.DeviceKey] = "cpu";
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the service kept running with a broken model folder:\n" + await stdout);
            }

            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
