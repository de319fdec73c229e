using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Reframe.Bench.Http;
using Reframe.Core.Engines;
using Reframe.Server;

// HTTP benchmark of the Reframe service against a bare ASP.NET Core endpoint returning a constant, in one run,
// on the same machine and with the same client. See docs/benchmarks.md.
//   dotnet run -c Release --project bench/Reframe.Bench.Http -- [seconds-per-phase] [concurrency] [--json PATH]
// --json also writes every phase's figures as JSON, for bench/plots/plot.py.
var jsonIndex = Array.IndexOf(args, "--json");
var jsonPath = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? Path.GetFullPath(args[jsonIndex + 1]) : null;
var positional = args.Where((_, i) => jsonIndex < 0 || (i != jsonIndex && i != jsonIndex + 1)).ToArray();
var seconds = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 10;
var concurrency = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 32;
var phase = TimeSpan.FromSeconds(seconds);
const string Key = "bench-key-0123456789abcdef";

var dataDir = Path.Combine(Path.GetTempPath(), "reframe-bench-" + Guid.NewGuid().ToString("N"));
// Workers off: the benchmark measures the HTTP + durable queue path, not generation.
Environment.SetEnvironmentVariable("REFRAME_DATA_DIR", dataDir);
Environment.SetEnvironmentVariable("REFRAME_API_KEYS", Key);
Environment.SetEnvironmentVariable("REFRAME_WORKERS", "0");
// Per-key limits off: this measures the request path itself; the limits have their own tests (SubmissionLimitsTests).
Environment.SetEnvironmentVariable("REFRAME_RATE_LIMIT_PER_MINUTE", "0");
Environment.SetEnvironmentVariable("REFRAME_MAX_ACTIVE_TASKS_PER_KEY", "0");

await using var reframe = await Servers.StartReframeAsync([]);
// A second instance with a worker and the real classic pipeline, to finish one real task whose polls are measured too.
var finishedDir = dataDir + "-finished";
await using var finisher = await Servers.StartReframeAsync([$"--REFRAME_DATA_DIR={finishedDir}", "--REFRAME_WORKERS=1"]);
// A third with one worker whose runner holds its task in "generating": the polls of a running task.
var runningDir = dataDir + "-running";
await using var holder = await Servers.StartReframeAsync([$"--REFRAME_DATA_DIR={runningDir}", "--REFRAME_WORKERS=1"], new HoldingRunner());
await using var bare = await Servers.StartBareAsync();
Console.WriteLine($"Reframe at {reframe.Urls.First()}, bare endpoint at {bare.Urls.First()}; data in {dataDir}");
Console.WriteLine($"{Environment.ProcessorCount} cores, {phase.TotalSeconds:0} s per phase, closed-loop concurrency {concurrency}, server GC {System.Runtime.GCSettings.IsServerGC}");

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
var reframeBase = reframe.Urls.First();
var bareBase = bare.Urls.First();
var body = JsonSerializer.Serialize(new { model = "alibaba/wan2.2-vace-fun-a14b-reframe", video_url = "https://example.com/clip.mp4", resolution = "480p" });

// A task to poll: submitted first, so it stays at the head of the queue (queue_position 0).
using var first = await http.PostAsync(reframeBase + "/v2/video/generations", new StringContent(body, Encoding.UTF8, "application/json"));
var id = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
var getUrl = reframeBase + "/v2/video/generations?generation_id=" + Uri.EscapeDataString(id);
var finishedUrl = await Servers.FinishOneTaskAsync(http, finisher.Urls.First(), finishedDir);
var runningUrl = await Servers.StartOneTaskAsync(http, holder.Urls.First(), runningDir, "generating");

async Task<bool> Get(string url)
{
    using var r = await http.GetAsync(url).ConfigureAwait(false);
    await r.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    return r.IsSuccessStatusCode;
}

async Task<bool> Post(string url)
{
    using var content = new StringContent(body, Encoding.UTF8, "application/json");
    using var r = await http.PostAsync(url, content).ConfigureAwait(false);
    await r.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    return r.IsSuccessStatusCode;
}

// Warm-up: JIT, connection pools, SQLite statement caches.
await LoadGenerator.ClosedLoopAsync(() => Get(bareBase + "/constant"), concurrency, TimeSpan.FromSeconds(2));
await LoadGenerator.ClosedLoopAsync(() => Get(getUrl), concurrency, TimeSpan.FromSeconds(2));
await LoadGenerator.ClosedLoopAsync(() => Get(finishedUrl), concurrency, TimeSpan.FromSeconds(2));
await LoadGenerator.ClosedLoopAsync(() => Get(runningUrl), concurrency, TimeSpan.FromSeconds(2));

var bareGet = await LoadGenerator.ClosedLoopAsync(() => Get(bareBase + "/constant"), concurrency, phase);
var reframeGet = await LoadGenerator.ClosedLoopAsync(() => Get(getUrl), concurrency, phase);
var finishedGet = await LoadGenerator.ClosedLoopAsync(() => Get(finishedUrl), concurrency, phase);
var runningGet = await LoadGenerator.ClosedLoopAsync(() => Get(runningUrl), concurrency, phase);
var bareGetRate = await LoadGenerator.FixedRateAsync(() => Get(bareBase + "/constant"), 2000, phase);
var reframeGetRate = await LoadGenerator.FixedRateAsync(() => Get(getUrl), 2000, phase);
var finishedGetRate = await LoadGenerator.FixedRateAsync(() => Get(finishedUrl), 2000, phase);
var runningGetRate = await LoadGenerator.FixedRateAsync(() => Get(runningUrl), 2000, phase);
var barePost = await LoadGenerator.ClosedLoopAsync(() => Post(bareBase + "/constant"), concurrency, phase);
var reframePost = await LoadGenerator.ClosedLoopAsync(() => Post(reframeBase + "/v2/video/generations"), concurrency, phase);

Console.WriteLine();
Console.WriteLine("GET, closed loop (max throughput)");
Console.WriteLine($"  bare constant     {bareGet}");
Console.WriteLine($"  Reframe GET queued task     {reframeGet}");
Console.WriteLine($"  Reframe GET completed task  {finishedGet}");
Console.WriteLine($"  Reframe GET running task    {runningGet}");
Console.WriteLine($"  ratio Reframe/bare throughput: queued {reframeGet.PerSecond / bareGet.PerSecond:0.00}x, running {runningGet.PerSecond / bareGet.PerSecond:0.00}x, completed {finishedGet.PerSecond / bareGet.PerSecond:0.00}x (target >= 0.90x)");
Console.WriteLine("GET, open loop at 2,000 req/s (latency from the scheduled send time)");
Console.WriteLine($"  bare constant     {bareGetRate}");
Console.WriteLine($"  Reframe GET queued task     {reframeGetRate}");
Console.WriteLine($"  Reframe GET completed task  {finishedGetRate}");
Console.WriteLine($"  Reframe GET running task    {runningGetRate}");
Console.WriteLine($"  Reframe p99 queued {reframeGetRate.P99Ms:0.00} ms, running {runningGetRate.P99Ms:0.00} ms, completed {finishedGetRate.P99Ms:0.00} ms (target < 5 ms)");
Console.WriteLine("POST, closed loop (Reframe: validated, committed to SQLite with fsync before the answer)");
Console.WriteLine($"  bare constant     {barePost}");
Console.WriteLine($"  Reframe POST      {reframePost}");
Console.WriteLine($"  ratio Reframe/bare throughput: {reframePost.PerSecond / barePost.PerSecond:0.00}x; durable POST {reframePost.PerSecond:0}/s (target >= 1,000/s)");

if (jsonPath is not null)
{
    var report = new
    {
        cores = Environment.ProcessorCount,
        seconds_per_phase = seconds,
        concurrency,
        load_average = File.ReadAllText("/proc/loadavg").Split(' ')[0],
        get_closed_loop = new { bare = bareGet, queued = reframeGet, running = runningGet, completed = finishedGet },
        get_open_loop_2000 = new { bare = bareGetRate, queued = reframeGetRate, running = runningGetRate, completed = finishedGetRate },
        post_closed_loop = new { bare = barePost, reframe = reframePost },
    };
    Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
    Console.WriteLine($"wrote {jsonPath}");
}

await reframe.StopAsync();
await finisher.StopAsync();
await holder.StopAsync();
foreach (var dir in new[] { dataDir, finishedDir, runningDir })
{
    try
    {
        Directory.Delete(dir, recursive: true);
    }
    catch (IOException)
    {
        // best effort
    }
}

internal static class Servers
{
    public static async Task<WebApplication> StartReframeAsync(string[] args, IReframeRunner? runner = null)
    {
        var builder = ReframeApp.CreateBuilder(args);
        if (runner is not null)
        {
            builder.Services.AddSingleton(runner); // registered first: the composition only adds what is missing
        }
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = ReframeApp.Configure(builder.Build());
        await app.StartAsync();
        return app;
    }

    /// <summary>Runs one real task (an ffmpeg test clip through the classic pipeline) and returns its GET URL.</summary>
    public static Task<string> FinishOneTaskAsync(HttpClient http, string baseUrl, string dataDir) => StartOneTaskAsync(http, baseUrl, dataDir, "completed");

    /// <summary>Submits one task (an ffmpeg test clip) and returns its GET URL once it reaches <paramref name="awaited"/>.</summary>
    public static async Task<string> StartOneTaskAsync(HttpClient http, string baseUrl, string dataDir, string awaited)
    {
        var clip = Path.Combine(dataDir, "clip.mp4");
        var ffmpeg = new System.Diagnostics.ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=8", "-frames:v", "9", "-pix_fmt", "yuv420p", clip })
        {
            ffmpeg.ArgumentList.Add(a);
        }
        using (var p = System.Diagnostics.Process.Start(ffmpeg)!)
        {
            await p.WaitForExitAsync();
        }
        var json = JsonSerializer.Serialize(new
        {
            model = "alibaba/wan2.2-vace-fun-a14b-reframe",
            video_url = "data:video/mp4;base64," + Convert.ToBase64String(await File.ReadAllBytesAsync(clip)),
            video_write_mode = "fast",
        });
        using var post = await http.PostAsync(baseUrl + "/v2/video/generations", new StringContent(json, Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var url = baseUrl + "/v2/video/generations?generation_id=" + Uri.EscapeDataString(id);
        for (var i = 0; i < 600; i++)
        {
            var status = JsonDocument.Parse(await http.GetStringAsync(url)).RootElement.GetProperty("status").GetString();
            if (status == awaited)
            {
                return url;
            }
            if (status == "error")
            {
                throw new InvalidOperationException("the benchmark's task failed: " + await http.GetStringAsync(url));
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("the benchmark's task did not finish in 2 minutes");
    }

    /// <summary>The fastest alternative: a minimal API endpoint that returns a constant (and drains a POST body).</summary>
    public static async Task<WebApplication> StartBareAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/constant", () => Results.Text("""{"id":"x","status":"queued"}""", "application/json"));
        app.MapPost("/constant", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Text("""{"id":"x","status":"queued"}""", "application/json");
        });
        await app.StartAsync();
        return app;
    }
}
