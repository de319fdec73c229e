using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Reframe.Bench.Scale;

/// <summary>
/// Workers on short classic tasks (a 9-frame 96x72 clip reframed to 16:9 at 480p, real ffmpeg and engine):
/// claim-to-start latency (a task submitted to idle workers, created_at to started_at as the store records them, one
/// task at a time) and throughput (a burst of tasks, first submission to last completion). PostgreSQL: one API node and
/// N worker nodes (each a ReframeApp with REFRAME_ROLE=worker); SQLite: one node with REFRAME_WORKERS=N.
/// </summary>
internal static class WorkerPhase
{
    public sealed record Result(int Workers, double LatencyP50Ms, double LatencyP99Ms, double TasksPerSecond, int Tasks);

    public static async Task<Result> RunAsync(string label, Dictionary<string, string> shared, bool splitRoles, int workers,
        int latencySamples, int burst, string clipDataUri, Func<string, Task<IReadOnlyList<(long Created, long Started)>>> readTimes)
    {
        var nodes = new List<WebApplication>();
        var apiDirectory = Nodes.TempDirectory(label + "-api");
        try
        {
            WebApplication api;
            if (splitRoles)
            {
                api = await Nodes.StartAsync(apiDirectory, new Dictionary<string, string>(shared) { ["REFRAME_ROLE"] = "api" });
                nodes.Add(api);
                for (var i = 0; i < workers; i++)
                {
                    nodes.Add(await Nodes.StartAsync(Nodes.TempDirectory($"{label}-w{i}"),
                        new Dictionary<string, string>(shared) { ["REFRAME_ROLE"] = "worker", ["REFRAME_WORKERS"] = "1" }));
                }
            }
            else
            {
                api = await Nodes.StartAsync(apiDirectory, new Dictionary<string, string>(shared) { ["REFRAME_WORKERS"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                nodes.Add(api);
            }
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Nodes.Key);
            var baseUrl = api.Urls.First();
            var body = JsonSerializer.Serialize(new { model = "alibaba/wan2.2-vace-fun-a14b-reframe", video_url = clipDataUri, aspect_ratio = "16:9", video_write_mode = "fast" });

            async Task<string> Submit()
            {
                using var r = await http.PostAsync(baseUrl + "/v2/video/generations", new StringContent(body, Encoding.UTF8, "application/json"));
                r.EnsureSuccessStatusCode();
                return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            }

            async Task WaitDone(string id)
            {
                while (true)
                {
                    using var r = await http.GetAsync(baseUrl + "/v2/video/generations?generation_id=" + Uri.EscapeDataString(id));
                    var status = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
                    if (status is "completed" or "error")
                    {
                        if (status == "error")
                        {
                            throw new InvalidOperationException($"task {id} failed");
                        }
                        return;
                    }
                    await Task.Delay(20);
                }
            }

            // Warm-up task (JIT, ffmpeg caches), then latency samples one at a time, workers idle each time.
            await WaitDone(await Submit());
            var before = (await readTimes(apiDirectory)).Count;
            for (var i = 0; i < latencySamples; i++)
            {
                await WaitDone(await Submit());
                await Task.Delay(200); // every worker back to waiting on the queue
            }
            var times = (await readTimes(apiDirectory)).Skip(before).Select(t => (double)(t.Started - t.Created)).Order().ToArray();

            var clock = Stopwatch.StartNew();
            var ids = await Task.WhenAll(Enumerable.Range(0, burst).Select(_ => Submit()));
            await Task.WhenAll(ids.Select(WaitDone));
            var elapsed = clock.Elapsed;
            return new Result(workers, Percentile(times, 0.50), Percentile(times, 0.99), burst / elapsed.TotalSeconds, burst);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.StopAsync();
                await node.DisposeAsync();
            }
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
