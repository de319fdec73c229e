using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Reframe.Server;
using Reframe.Wan.Host;
using Reframe.Wan.Tests.Engine;
using Xunit.Abstractions;

namespace Reframe.Wan.Tests.Host;

/// <summary>
/// The service on the Wan engine, end to end over real Kestrel on loopback: a tiny random-weight model folder in
/// the real layout, a source clip made by ffmpeg, POST, poll, download, and ffprobe the mp4.
/// </summary>
[Trait("Category", "EndToEnd")]
public class WanServiceEndToEndTests(ITestOutputHelper output)
{
    private const string Key = "wan-e2e-key-0123456789abcdef";

    [Fact]
    public async Task Post_CompletesWithDecodableMp4_OnTheWanEngine()
    {
        using var folder = new TinyModelFolder();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "reframe-wan-e2e-" + Guid.NewGuid().ToString("N"));
        try
        {
            var source = Path.Combine(folder.Directory, "source.mp4");
            await RunAsync("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=16", "-frames:v", "17",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", source);
            var dataUri = "data:video/mp4;base64," + Convert.ToBase64String(await File.ReadAllBytesAsync(source));

            await using var app = await StartAsync(folder.Directory, dataDirectory);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

            var request = JsonSerializer.Serialize(new
            {
                model = "alibaba/wan2.2-vace-fun-a14b-reframe",
                video_url = dataUri,
                prompt = "a test pattern on a wall",
                resolution = "480p",
                aspect_ratio = "16:9",
                match_input_num_frames = false,
                num_frames = 17,
                num_inference_steps = 2,
                guidance_scale = 1, // no CFG: one expert call per step keeps this test short on a 2-core machine
                seed = 7,
            });
            using var posted = await http.PostAsync("/v2/video/generations", new StringContent(request, Encoding.UTF8, "application/json"));
            var postedBody = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!;
            Assert.True(posted.IsSuccessStatusCode, postedBody.ToJsonString());
            var id = postedBody["id"]!.GetValue<string>();

            JsonNode body = postedBody;
            var timer = Stopwatch.StartNew();
            while (timer.Elapsed < TimeSpan.FromMinutes(15))
            {
                using var polled = await http.GetAsync("/v2/video/generations?generation_id=" + Uri.EscapeDataString(id));
                body = JsonNode.Parse(await polled.Content.ReadAsStringAsync())!;
                var status = body["status"]!.GetValue<string>();
                if (status is "completed" or "error")
                {
                    break;
                }

                await Task.Delay(500);
            }

            output.WriteLine(body.ToJsonString());
            Assert.True(body["status"]!.GetValue<string>() == "completed", $"after {timer.Elapsed}: {body.ToJsonString()}");
            Assert.Equal("wan", body["meta"]?["engine"]?.GetValue<string>());
            var video = body["video"]!;
            using var download = await http.GetAsync(video["url"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            var mp4 = Path.Combine(folder.Directory, "result.mp4");
            await File.WriteAllBytesAsync(mp4, await download.Content.ReadAsByteArrayAsync());

            // Decodable: ffmpeg decodes every frame without error, at the planned size.
            var probe = await RunAsync("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=width,height,nb_read_frames", "-of", "json", mp4);
            var stream = JsonNode.Parse(probe)!["streams"]![0]!;
            output.WriteLine(probe);
            Assert.Equal(video["width"]!.GetValue<int>(), stream["width"]!.GetValue<int>());
            Assert.Equal(video["height"]!.GetValue<int>(), stream["height"]!.GetValue<int>());
            Assert.Equal(video["num_frames"]!.GetValue<int>(), int.Parse(stream["nb_read_frames"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
            await RunAsync("ffmpeg", "-v", "error", "-xerror", "-i", mp4, "-f", "null", "-");
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static async Task<WebApplication> StartAsync(string modelDirectory, string dataDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["REFRAME_DATA_DIR"] = dataDirectory,
            ["REFRAME_API_KEYS"] = Key,
            ["REFRAME_WORKERS"] = "1",
            ["REFRAME_POLL_MS"] = "100",
            [WanHostRegistration.ModelDirectoryKey] = modelDirectory,
            [WanHostRegistration.DeviceKey] = "cpu",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        ReframeApp.AddReframe(builder);
        Assert.True(WanHostRegistration.AddWanEngine(builder));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = ReframeApp.Configure(builder.Build());
        await app.StartAsync();
        return app;
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await stderr}");
        return await stdout;
    }
}
