using System.Net;
using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;
using Reframe.Wan.Engine;
using Xunit.Abstractions;

namespace Reframe.Server.Tests.Engines;

/// <summary>
/// The service's one composition root with <c>REFRAME_WAN_MODEL_DIR</c> set: real Kestrel on loopback, the tiny
/// random-weight model in the real layout, ffmpeg clips, POST and poll. The weights load once at start-up and serve
/// every task; meta says what ran; long clips run in windows.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class WanServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Service_ServesTheWanEngine_WithResidentWeights_HonestMeta_AndWindows()
    {
        var model = WanModelFolders.CreateTiny();
        try
        {
            await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
            {
                [WanEngineOptions.ModelDirectoryKey] = model,
                [WanEngineOptions.DeviceKey] = "cpu",
                // Small windows keep the long clip's run short on two cores (the default is 81/16).
                [WanEngineOptions.WindowFramesKey] = "17",
                [WanEngineOptions.WindowOverlapKey] = "4",
            });
            using var client = server.Client();

            using var ready = await client.Http.GetAsync("/healthz/ready");
            var readiness = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("wan", readiness["engine"]!.GetValue<string>());
            Assert.Equal("cpu", readiness["device"]!.GetValue<string>());
            Assert.Equal("float32", readiness["dtype"]!.GetValue<string>());

            // 1. A 17-frame clip with CFG (guidance 5): one window.
            var clip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 72, 17, 16));
            var first = await RunAsync(client, new
            {
                model = ApiClient.Model, video_url = clip, prompt = "a test pattern on a wall", aspect_ratio = "16:9",
                num_inference_steps = 2, guidance_scale = 5, sampler = "euler", shift = 7, seed = 7,
            });
            var meta = first["meta"]!;
            Assert.Equal("wan", meta["engine"]!.GetValue<string>());
            Assert.Equal("euler", meta["sampler"]!.GetValue<string>());
            Assert.Equal(2, meta["steps"]!.GetValue<int>());
            Assert.Equal(7.0, meta["shift"]!.GetValue<double>());
            Assert.Equal(5.0, meta["guidance_scale"]!.GetValue<double>());
            Assert.Equal(1, meta["windows"]!.GetValue<int>());
            Assert.Equal(7, meta["seed"]!.GetValue<long>());
            Assert.Equal("cpu", meta["device"]!.GetValue<string>());
            Assert.Equal("float32", meta["dtype"]!.GetValue<string>());
            Assert.Equal("regular", meta["acceleration"]!.GetValue<string>()); // the request default
            Assert.Equal(2, meta["steps_computed"]!.GetValue<int>() + meta["steps_reused"]!.GetValue<int>());
            var timings = meta["timings"]!.AsObject();
            foreach (var stage in new[] { "load", "text", "vae_encode", "denoise", "vae_decode", "paste", "encode" })
            {
                Assert.True(timings.ContainsKey(stage), $"meta.timings lacks {stage}: {timings.ToJsonString()}");
            }

            // 2. The next task finds the weights resident: nothing loads.
            var second = await RunAsync(client, new
            {
                model = ApiClient.Model, video_url = clip, aspect_ratio = "16:9", num_inference_steps = 2, guidance_scale = 1, seed = 8,
            });
            Assert.Equal(0.0, second["meta"]!["timings"]!["load"]!.GetValue<double>());

            // 3. A clip longer than a window runs window by window.
            var longClip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 72, 41, 16));
            var third = await RunAsync(client, new
            {
                model = ApiClient.Model, video_url = longClip, aspect_ratio = "16:9", num_inference_steps = 2, guidance_scale = 1, seed = 9,
            });
            Assert.Equal(41, third["video"]!["num_frames"]!.GetValue<int>());
            Assert.True(third["meta"]!["windows"]!.GetValue<int>() >= 2, third.ToJsonString());
        }
        finally
        {
            WanModelFolders.Delete(model);
        }
    }

    private async Task<JsonNode> RunAsync(ApiClient client, object request)
    {
        var id = await client.SubmitAsync(request);
        var done = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(10));
        output.WriteLine(done.ToJsonString());
        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        return done;
    }
}
