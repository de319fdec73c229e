using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Api;

/// <summary>Issue 14: <c>/metrics</c> (prometheus-net) and <c>/healthz/ready</c> checking what a node depends on, on real services.</summary>
public sealed class OperationsTests
{
    [Fact]
    public async Task Metrics_CarryQueueTasksByStateStagesEngineStepsAndHttpLatency()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 96, 9, 8));
        // Without the bar detection the fill runs at once, not speculatively: its every frame report reaches the meters (a
        // speculative run's are held until its plan is confirmed, and a run that ends first passes one per stage).
        var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = clip, video_write_mode = "fast", trim_borders = false });
        Assert.Equal("completed", (await client.WaitForEndAsync(id, TimeSpan.FromMinutes(2)))["status"]!.GetValue<string>());

        using var response = await client.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split('\n');
        Assert.Contains("reframe_queued_tasks{role=\"all\"} 0", lines);
        Assert.Contains("reframe_worker_loops{role=\"all\"} 1", lines);
        Assert.Contains("reframe_tasks{state=\"completed\"} 1", lines);
        Assert.Contains("reframe_tasks{state=\"queued\"} 0", lines);
        // The workers' meters (every stage the task went through, the engine's frames) and the HTTP middleware's histogram.
        foreach (var stage in new[] { "downloading", "probing", "generating", "encoding", "storing" })
        {
            Assert.True(lines.Any(l => l.StartsWith("reframe_task_stage_seconds_count{", StringComparison.Ordinal) && l.Contains($"stage=\"{stage}\"", StringComparison.Ordinal)),
                $"no {stage} stage in:\n{text}");
        }
        Assert.True(lines.Any(l => l.StartsWith("reframe_engine_step_seconds_count", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal)), text);
        Assert.Contains(lines, l => l.StartsWith("http_request_duration_seconds_bucket{", StringComparison.Ordinal)
                                    && l.Contains("method=\"POST\"", StringComparison.Ordinal) && l.Contains("endpoint=\"/v2/video/generations/\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ready_Answers503NamingFfmpeg_WhenItCannotStart_WhileLiveStays200()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_FFMPEG"] = "/nonexistent/ffmpeg" });
        using var client = server.Client(null);
        var (status, body) = await ReadyAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unavailable", body["status"]!.GetValue<string>());
        Assert.NotEqual("ok", body["checks"]!["ffmpeg"]!.GetValue<string>());
        Assert.Equal("ok", body["checks"]!["task_store"]!.GetValue<string>());
        Assert.Equal("ok", body["checks"]!["blob_store"]!.GetValue<string>());
        Assert.Equal("ok", body["checks"]!["engine"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/healthz/live")).StatusCode);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Ready_Answers503NamingTheStoreThatIsDown_AndRecovers()
    {
        await using var stores = await OutageStores.StartAsync("ready");
        await using var server = await InProcessServer.StartAsync(stores.ServiceSettings("r"));
        using var client = server.Client(null);
        var (status, body) = await ReadyAsync(client);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.All(body["checks"]!.AsObject(), c => Assert.Equal("ok", c.Value!.GetValue<string>()));

        await stores.StopBlobStoreAsync();
        (status, body) = await ReadyAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.NotEqual("ok", body["checks"]!["blob_store"]!.GetValue<string>());
        Assert.Equal("ok", body["checks"]!["task_store"]!.GetValue<string>());

        await stores.StartBlobStoreAgainAsync();
        await stores.Postgres.StopAsync();
        (status, body) = await ReadyAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.NotEqual("ok", body["checks"]!["task_store"]!.GetValue<string>());
        Assert.Equal("ok", body["checks"]!["blob_store"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/healthz/live")).StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> ReadyAsync(ApiClient client)
    {
        using var response = await client.Http.GetAsync("/healthz/ready");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

}
