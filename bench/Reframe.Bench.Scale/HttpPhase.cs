using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Reframe.Bench.Http;

namespace Reframe.Bench.Scale;

/// <summary>POST and GET through the real HTTP service, API-only nodes (no workers), on SQLite and on PostgreSQL.</summary>
internal static class HttpPhase
{
    public static async Task<(RunResult Post, RunResult Get)> RunAsync(string label, Dictionary<string, string> settings, int concurrency, TimeSpan phase)
    {
        settings["REFRAME_WORKERS"] = "0";
        await using var node = await Nodes.StartAsync(Nodes.TempDirectory(label), settings);
        var baseUrl = node.Urls.First();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Nodes.Key);
        var body = JsonSerializer.Serialize(new { model = "alibaba/wan2.2-vace-fun-a14b-reframe", video_url = "https://example.com/clip.mp4", resolution = "480p" });

        async Task<bool> Post()
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var r = await http.PostAsync(baseUrl + "/v2/video/generations", content).ConfigureAwait(false);
            await r.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return r.IsSuccessStatusCode;
        }

        using var first = await http.PostAsync(baseUrl + "/v2/video/generations", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var getUrl = baseUrl + "/v2/video/generations?generation_id=" + Uri.EscapeDataString(id);

        async Task<bool> Get()
        {
            using var r = await http.GetAsync(getUrl).ConfigureAwait(false);
            await r.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return r.IsSuccessStatusCode;
        }

        // Warm-up: JIT, pools, prepared statements.
        await LoadGenerator.ClosedLoopAsync(Post, concurrency, TimeSpan.FromSeconds(2));
        await LoadGenerator.ClosedLoopAsync(Get, concurrency, TimeSpan.FromSeconds(2));
        var post = await LoadGenerator.ClosedLoopAsync(Post, concurrency, phase);
        var get = await LoadGenerator.ClosedLoopAsync(Get, concurrency, phase);
        return (post, get);
    }
}
