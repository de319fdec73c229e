using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Reframe.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Reframe.Server.Tests.Reliability;

/// <summary>
/// Issue 6 point 5: a burst of submissions with concurrent polling against the built service in its own process
/// (real Kestrel, SQLite, classic engine, ffmpeg). Every task completes, no answer is a 5xx, and the service's
/// peak resident memory stays under a bound. CI: 30 tasks; REFRAME_RELIABILITY_FULL=1: 1,000.
/// </summary>
public sealed class BurstLoadTests(ITestOutputHelper output)
{
    private const string Key = "burst-test-key-0123456789";
    private const long MemoryBoundBytes = 1024L * 1024 * 1024;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Burst_CompletesEveryTaskWithoutA5xx_WhenSubmittedAllAtOnceAndPolled()
    {
        var count = ReliabilityScale.Pick(ci: 30, full: 1000);
        var dataDir = Path.Combine(Path.GetTempPath(), "reframe-burst-" + Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string?>
        {
            ["REFRAME_API_KEYS"] = Key, ["REFRAME_WORKERS"] = "2", ["REFRAME_ALLOW_PRIVATE_URLS"] = "true", ["REFRAME_POLL_MS"] = "100",
            ["REFRAME_RATE_LIMIT_PER_MINUTE"] = "0", ["REFRAME_MAX_ACTIVE_TASKS_PER_KEY"] = "0",
        };
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(64, 48, 5, 8));
        var body = new { model = ApiClient.Model, video_url = clip, aspect_ratio = "1:1", video_write_mode = "fast" };
        var statuses = new ConcurrentDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        try
        {
            await using var server = await ChildServer.StartAsync(dataDir, env);
            using var client = server.Client(Key);
            var ids = new ConcurrentBag<string>();
            using (var throttle = new SemaphoreSlim(32))
            {
                await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
                {
                    await throttle.WaitAsync();
                    try
                    {
                        var (status, answer, _) = await client.PostAsync(body);
                        statuses.AddOrUpdate((int)status, 1, (_, n) => n + 1);
                        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {answer}");
                        ids.Add(answer!["id"]!.GetValue<string>());
                    }
                    finally
                    {
                        throttle.Release();
                    }
                }));
            }
            var submitted = watch.Elapsed;

            // Eight pollers share the ids and poll until every task has ended.
            var pending = new ConcurrentQueue<string>(ids);
            var ended = new ConcurrentDictionary<string, string>();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(ReliabilityScale.Pick(4, 60));
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                while (pending.TryDequeue(out var id))
                {
                    var (status, answer, _) = await client.GetAsync(id);
                    statuses.AddOrUpdate((int)status, 1, (_, n) => n + 1);
                    Assert.True(status == HttpStatusCode.OK, $"{(int)status} {answer}");
                    var s = answer!["status"]!.GetValue<string>();
                    if (s is "completed" or "error")
                    {
                        ended[id] = s == "error" ? answer["error"]!.ToJsonString() : s;
                        continue;
                    }
                    Assert.True(DateTime.UtcNow < deadline, $"task {id} still {s}");
                    pending.Enqueue(id);
                    await Task.Delay(20);
                }
            }));
            var peak = server.PeakWorkingSetBytes();
            output.WriteLine($"{count} tasks: submitted in {submitted.TotalSeconds:F1} s, all ended in {watch.Elapsed.TotalSeconds:F1} s; " +
                             $"HTTP answers {string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} x{kv.Value}"))}; " +
                             $"peak working set {peak / (1024 * 1024)} MiB");

            Assert.Equal(count, ended.Count);
            Assert.All(ended, kv => Assert.Equal("completed", kv.Value));
            Assert.DoesNotContain(statuses.Keys, code => code >= 500);
            Assert.InRange(peak, 1, MemoryBoundBytes);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
