using System.Net;
using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Http;

/// <summary>
/// The whole service as composed for users (real input fetcher, real classic runner, real ffmpeg, SQLite on disk,
/// Kestrel on loopback): a client POSTs a clip and downloads a video that ffprobe can decode.
/// </summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Post_ThenGet_DeliversAPlayableMp4_WithItsMetadataAndCredits()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client();
        var clip = await Tools.ClipAsync(160, 120, 17, 8);
        var id = await client.SubmitAsync(new
        {
            model = ApiClient.Model, video_url = await Tools.DataUriAsync(clip), aspect_ratio = "16:9", resolution = "480p",
            prompt = "a test card", seed = 7, video_write_mode = "fast",
        });

        var done = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(2));
        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        var video = done["video"]!;
        var url = new Uri(video["url"]!.GetValue<string>());
        Assert.True(url.IsAbsoluteUri);
        Assert.StartsWith(server.BaseAddress.GetLeftPart(UriPartial.Authority) + "/files/", url.ToString(), StringComparison.Ordinal);
        Assert.Equal("video/mp4", video["content_type"]!.GetValue<string>());
        Assert.Equal((832, 480, 17), (video["width"]!.GetValue<int>(), video["height"]!.GetValue<int>(), video["num_frames"]!.GetValue<int>()));
        Assert.Equal(8, video["fps"]!.GetValue<double>());
        Assert.Equal(17 / 8.0, video["duration"]!.GetValue<double>(), 3);
        var meta = done["meta"]!;
        Assert.Equal(17 * 6_250, meta["usage"]!["credits_used"]!.GetValue<long>()); // 17 frames at 480p
        Assert.Equal(7, meta["seed"]!.GetValue<long>());
        Assert.Equal("a test card", meta["prompt"]!.GetValue<string>());
        Assert.Equal("classic", meta["engine"]!.GetValue<string>());
        var (_, _, response) = await client.GetAsync(id);
        Assert.Equal((17 * 6_250).ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(response.Headers.GetValues("x-aimlapi-credits-used")));

        // Download with no key (the URL is the capability) and check the file itself.
        using var anonymous = new HttpClient();
        var bytes = await anonymous.GetByteArrayAsync(url);
        Assert.Equal(video["file_size"]!.GetValue<long>(), bytes.LongLength);
        var path = Path.Combine(server.DataDirectory, "downloaded.mp4");
        await File.WriteAllBytesAsync(path, bytes);
        var probed = await Tools.ProbeAsync(path);
        Assert.Equal(("h264", 832, 480, 17), (probed.Codec, probed.Width, probed.Height, probed.Frames));
        Assert.Contains("mp4", probed.Format, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncMode_ReturnsTheVideoAsADataUri_AndKeepsNoFile()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client();
        var clip = await Tools.ClipAsync(96, 96, 9, 8);
        var id = await client.SubmitAsync(new
        {
            model = ApiClient.Model, video_url = await Tools.DataUriAsync(clip), aspect_ratio = "9:16", sync_mode = true, video_write_mode = "fast",
        });
        var done = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(2));
        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        var dataUri = done["video"]!["url"]!.GetValue<string>();
        Assert.StartsWith("data:video/mp4;base64,", dataUri, StringComparison.Ordinal);
        var path = Path.Combine(server.DataDirectory, "sync.mp4");
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(dataUri["data:video/mp4;base64,".Length..]));
        var probed = await Tools.ProbeAsync(path);
        Assert.Equal(("h264", 480, 832, 9), (probed.Codec, probed.Width, probed.Height, probed.Frames));
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "results")));
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "inputs"))
                     && Directory.GetFiles(Path.Combine(server.DataDirectory, "inputs"), "*", SearchOption.AllDirectories).Length > 0);
        Assert.Null(Assert.Single(await TaskRows.ReadAsync(server.DataDirectory)).FileToken);
        // Lists leave the inline video out (a page of them would be megabytes); the task itself still has it.
        var history = JsonNode.Parse(await client.Http.GetStringAsync("/v2/video/generations/history"))!;
        Assert.Null(Assert.Single(history["data"]!.AsArray())!["video"]);
        // Deleting the task deletes the only copy.
        Assert.Equal(HttpStatusCode.NoContent, (await client.CancelAsync(id)).Status);
        Assert.Empty(await TaskRows.ReadAsync(server.DataDirectory));
    }

    [Fact]
    public async Task Delete_StopsARunningTask_AtTheNextSafePoint()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client();
        // Long enough to be caught running: 241 frames onto a 720p canvas.
        var clip = await Tools.ClipAsync(320, 240, 241, 24);
        var id = await client.SubmitAsync(new
        {
            model = ApiClient.Model, video_url = await Tools.DataUriAsync(clip), aspect_ratio = "9:16", resolution = "720p",
        });
        var running = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(1),
            b => b["meta"]?["progress"]?["stage"]?.GetValue<string>() is "generating" or "encoding");
        Assert.True(running["status"]!.GetValue<string>() == "generating", running.ToJsonString());

        var asked = DateTime.UtcNow;
        var (status, _) = await client.CancelAsync(id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var ended = await client.WaitForEndAsync(id, TimeSpan.FromSeconds(30));
        Assert.Equal("error", ended["status"]!.GetValue<string>());
        Assert.Equal("cancelled", ended["error"]!["name"]!.GetValue<string>());
        Assert.Equal(0, ended["meta"]!["usage"]!["credits_used"]!.GetValue<long>());
        Assert.True(DateTime.UtcNow - asked < TimeSpan.FromSeconds(10), "the cancel took effect too late");
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "results")));
        Assert.Empty(Directory.Exists(Path.Combine(server.DataDirectory, "work"))
            ? Directory.GetFileSystemEntries(Path.Combine(server.DataDirectory, "work"))
            : []);
    }

    [Fact]
    public async Task Tasks_EndInNamedErrors_WhenInputsAreBadOrRefused()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_ALLOW_PRIVATE_URLS"] = "false" });
        using var client = server.Client();
        var notVideo = await client.SubmitAsync(new
        {
            model = ApiClient.Model, video_url = "data:video/mp4;base64," + Convert.ToBase64String("this is not a video at all"u8.ToArray()),
        });
        var privateUrl = await client.SubmitAsync(new { model = ApiClient.Model, video_url = server.BaseAddress + "healthz" });
        var metadata = await client.SubmitAsync(new { model = ApiClient.Model, video_url = "http://169.254.169.254/latest/meta-data/" });

        JsonNode bad = await client.WaitForEndAsync(notVideo, TimeSpan.FromMinutes(1));
        Assert.Equal("error", bad["status"]!.GetValue<string>());
        Assert.Contains(bad["error"]!["name"]!.GetValue<string>(), new[] { "unsupported_media", "invalid_input" });
        foreach (var refused in new[] { privateUrl, metadata })
        {
            var ended = await client.WaitForEndAsync(refused, TimeSpan.FromMinutes(1));
            Assert.Equal("error", ended["status"]!.GetValue<string>());
            Assert.Equal("file_download_error", ended["error"]!["name"]!.GetValue<string>());
            Assert.Equal(0, ended["meta"]!["usage"]!["credits_used"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task TwoHundredConcurrentSubmissions_AllCompleteExactlyOnce()
    {
        const int count = 200;
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "3" });
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(32, 32, 5, 8));
        var body = new { model = ApiClient.Model, video_url = clip, aspect_ratio = "1:1", trim_borders = false, video_write_mode = "fast", video_quality = "low" };
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(() => client.SubmitAsync(body))));
        Assert.Equal(count, ids.Distinct().Count());

        var results = new List<JsonNode>();
        foreach (var id in ids)
        {
            results.Add(await client.WaitForEndAsync(id, TimeSpan.FromMinutes(4)));
        }
        Assert.All(results, r => Assert.True(r["status"]!.GetValue<string>() == "completed", r.ToJsonString()));
        var urls = results.Select(r => r["video"]!["url"]!.GetValue<string>()).ToList();
        Assert.Equal(count, urls.Distinct().Count());
        // Exactly once: one result file per task, each task taken by one worker once.
        Assert.Equal(count, Directory.GetFiles(Path.Combine(server.DataDirectory, "results")).Length);
        Assert.All(await TaskRows.ReadAsync(server.DataDirectory), row => Assert.Equal((2, 1), (row.Status, row.Attempts)));
    }
}
