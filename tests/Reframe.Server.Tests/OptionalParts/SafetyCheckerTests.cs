using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Reframe.Onnx.Safety;
using Reframe.Server.Configuration;
using Reframe.Server.Tests.Infrastructure;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.OptionalParts;

/// <summary>
/// <c>enable_safety_checker</c> through the whole service with a real ONNX classifier (the test model flags frames
/// whose red channel is dark on average; threshold 0.25, i.e. a mean red under about 191). With the classic engine,
/// whose fill is a dimmed copy of the picture (x0.85), a light grey source passes and its reframed output, mostly
/// fill, does not: so each of "flagged input", "flagged output" and "clean" happens for real.
/// </summary>
public sealed class SafetyCheckerTests : IDisposable
{
    private readonly string _clips = Directory.CreateTempSubdirectory("reframe-safety-clips-").FullName;

    private static Dictionary<string, string?> CheckerSettings() => new()
    {
        [SafetyModelSettings.ModelKey] = OnnxTestModels.SafetyRedDarkNchw,
        [SafetyModelSettings.ThresholdKey] = "0.25",
        [SafetyModelSettings.FlaggedClassesKey] = "1",
    };

    private async Task<string> ClipAsync(int rgb) => await Tools.DataUriAsync(SolidClips.Create(_clips, rgb, 64, 36, 9, 8));

    [Fact]
    public async Task FlaggedInput_FlaggedOutput_AndClean_EndAsTheyShould_LeavingNoResultOfAFlaggedTask()
    {
        await using var server = await InProcessServer.StartAsync(CheckerSettings());
        using var client = server.Client();
        async Task<JsonNode> RunAsync(int rgb) => await client.WaitForEndAsync(await client.SubmitAsync(new
        {
            model = ApiClient.Model, video_url = await ClipAsync(rgb), aspect_ratio = "9:16", enable_safety_checker = true, video_write_mode = "fast",
        }), TimeSpan.FromMinutes(2));

        // Dark input (mean red 48): stopped before generating.
        var dark = await RunAsync(0x303030);
        Assert.Equal("error", dark["status"]!.GetValue<string>());
        Assert.Equal("content_policy_violation", dark["error"]!["name"]!.GetValue<string>());
        Assert.True(dark["error"]!["message"]!.GetValue<string>().StartsWith("The safety checker flagged the input video (sampled frame 1 of 8 scored 0.8", StringComparison.Ordinal), dark.ToJsonString());
        Assert.Null(dark["video"]);
        Assert.Equal(0, dark["meta"]!["usage"]!["credits_used"]!.GetValue<long>());

        // Light grey input (red 200, score 0.22): passes; its 9:16 output is two-thirds dimmed fill (score about 0.3): flagged.
        var grey = await RunAsync(0xC8C8C8);
        Assert.Equal("error", grey["status"]!.GetValue<string>());
        Assert.Equal("content_policy_violation", grey["error"]!["name"]!.GetValue<string>());
        Assert.Contains("flagged the generated video", grey["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("discarded and not stored", grey["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Near white (red 240): both checks pass.
        var clean = await RunAsync(0xF0F0F0);
        Assert.True(clean["status"]!.GetValue<string>() == "completed", clean.ToJsonString());
        Assert.Equal("passed", clean["meta"]!["safety_checker"]!.GetValue<string>());

        // Only the clean task's result exists; the flagged ones left nothing in the results or the scratch space.
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "results")));
        var work = Path.Combine(server.DataDirectory, "work");
        Assert.True(!Directory.Exists(work) || Directory.GetFileSystemEntries(work).Length == 0);
    }

    [Fact]
    public async Task WithoutAChecker_TheDefaultRunsTheTask_AndSaysTheCheckerWasUnavailable()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client();
        var done = await client.WaitForEndAsync(await client.SubmitAsync(new
        {
            model = ApiClient.Model, video_url = await ClipAsync(0x303030), aspect_ratio = "16:9", enable_safety_checker = true,
            enable_prompt_expansion = true, prompt = "a grey room", num_interpolated_frames = 1, video_write_mode = "fast",
        }), TimeSpan.FromMinutes(2));
        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        var meta = done["meta"]!;
        // Each optional part that is not installed says so, and what ran instead.
        Assert.Equal("unavailable", meta["safety_checker"]!.GetValue<string>());
        Assert.Equal(("unavailable", "a grey room", "a grey room"),
            (meta["prompt_expansion"]!.GetValue<string>(), meta["prompt"]!.GetValue<string>(), meta["original_prompt"]!.GetValue<string>()));
        Assert.Equal("minterpolate_mci", meta["interpolator"]!.GetValue<string>());
        Assert.Equal("no film model is installed on this server; ffmpeg's motion-compensated minterpolate ran instead", meta["interpolator_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithoutAChecker_TheRejectPolicyAnswers400NamingTheField()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { [SafetyCheckerAvailability.PolicyKey] = "reject" });
        using var client = server.Client();
        var clip = await ClipAsync(0xF0F0F0);
        var (status, body, _) = await client.PostAsync(new { model = ApiClient.Model, video_url = clip, enable_safety_checker = true });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = Assert.Single(body!["details"]!.AsArray())!;
        Assert.Equal("enable_safety_checker", detail["field"]!.GetValue<string>());
        Assert.Contains("no safety checker", detail["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // Not asking for it is fine.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new { model = ApiClient.Model, video_url = clip, enable_safety_checker = false })).Status);
    }

    [Fact]
    public async Task ABrokenModelFile_StopsStartUp_NamingIt()
    {
        var broken = Path.Combine(_clips, "nsfw-broken.onnx");
        await File.WriteAllBytesAsync(broken, [.. (await File.ReadAllBytesAsync(OnnxTestModels.SafetyRedDarkNchw)).Take(120)]);
        var settings = CheckerSettings();
        settings[SafetyModelSettings.ModelKey] = broken;
        var e = await Assert.ThrowsAsync<StartupException>(() => InProcessServer.StartAsync(settings));
        Assert.Contains(broken, e.Message, StringComparison.Ordinal);

        // As users start it: the process says so and exits with status 1.
        var (exitCode, output) = await RunServerProcessAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"Reframe cannot start: {SafetyModelSettings.ModelKey}: {broken}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunServerProcessAsync(Dictionary<string, string?> settings) =>
        ChildServer.RunToExitAsync(new Dictionary<string, string?>(settings) { ["REFRAME_API_KEYS"] = "safety-startup-key-0123456789" },
            TimeSpan.FromSeconds(90));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_clips, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
