using Reframe.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Reframe.Server.Tests.Reliability;

/// <summary>
/// Issue 6 point 4: the built service is SIGKILLed several times in a row while tasks are queued and generating,
/// then SIGTERMed while one generates; after a last start every task has ended exactly once, each result file is
/// there once and no other, and SQLite's integrity check passes. CI: 3 kills; REFRAME_RELIABILITY_FULL=1: 6 kills
/// with more tasks.
/// </summary>
public sealed class CrashRestartTests(ITestOutputHelper output)
{
    private const string Key = "crash-test-key-0123456789";

    private static Dictionary<string, string?> Environment() => new()
    {
        ["REFRAME_API_KEYS"] = Key, ["REFRAME_WORKERS"] = "2", ["REFRAME_ALLOW_PRIVATE_URLS"] = "true", ["REFRAME_POLL_MS"] = "100",
        ["REFRAME_MAX_ATTEMPTS"] = "20", // each kill costs the running tasks an attempt; none may run out here
    };

    [Fact]
    [Trait("Category", "Slow")]
    public async Task RepeatedSigkillThenSigterm_EndsEveryTaskExactlyOnce_WithTheDatabaseIntact()
    {
        var kills = ReliabilityScale.Pick(ci: 3, full: 6);
        var perCycle = ReliabilityScale.Pick(ci: 3, full: 6);
        var dataDir = Path.Combine(Path.GetTempPath(), "reframe-crash-" + Guid.NewGuid().ToString("N"));
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(160, 120, 33, 12));
        var body = new { model = ApiClient.Model, video_url = clip, aspect_ratio = "16:9", video_write_mode = "fast" };
        var ids = new List<string>();
        try
        {
            for (var cycle = 0; cycle < kills; cycle++)
            {
                await using var server = await ChildServer.StartAsync(dataDir, Environment());
                using var client = server.Client(Key);
                for (var i = 0; i < perCycle; i++)
                {
                    ids.Add(await client.SubmitAsync(body));
                }
                // More may be submitted while waiting, so that the kill finds work queued as well as running.
                await MidGeneration.WaitForOneAsync(client, ids, body);
                await server.KillAsync();
                var rows = await TaskRows.ReadAsync(dataDir);
                Assert.Equal(ids.Count, rows.Count); // every 200 was durable
                Assert.Contains(rows, r => r.Status == 1);
                output.WriteLine($"kill {cycle + 1}: {rows.Count(r => r.Status == 0)} queued, {rows.Count(r => r.Status == 1)} generating, {rows.Count(r => r.Status == 2)} completed");
            }

            // Graceful stop: the generating task is handed back (queued again), not left running nor failed.
            await using (var server = await ChildServer.StartAsync(dataDir, Environment()))
            {
                Assert.Contains(server.Output, l => l.Contains("left running by a previous process were recovered", StringComparison.Ordinal)
                                                    && !l.Contains(" 0 task(s)", StringComparison.Ordinal));
                using var client = server.Client(Key);
                await MidGeneration.WaitForOneAsync(client, ids, body);
                var started = DateTime.UtcNow;
                await server.TerminateAsync(TimeSpan.FromSeconds(40));
                output.WriteLine($"SIGTERM: exited {server.ExitCode} after {(DateTime.UtcNow - started).TotalSeconds:F1} s");
                Assert.Equal(0, server.ExitCode);
                var rows = await TaskRows.ReadAsync(dataDir);
                Assert.DoesNotContain(rows, r => r.Status == 1);
                Assert.DoesNotContain(rows, r => r.Status == 3);
            }

            await using (var last = await ChildServer.StartAsync(dataDir, Environment()))
            {
                Assert.Contains(last.Output, l => l.Contains(" 0 task(s) left running", StringComparison.Ordinal));
                using var client = last.Client(Key);
                using var download = new HttpClient();
                foreach (var id in ids)
                {
                    var done = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(3));
                    Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
                    var bytes = await download.GetByteArrayAsync(done["video"]!["url"]!.GetValue<string>());
                    Assert.Equal(done["video"]!["file_size"]!.GetValue<long>(), bytes.LongLength);
                }
            }

            var final = await TaskRows.ReadAsync(dataDir);
            Assert.Equal(ids.Count, final.Count);
            Assert.All(final, r => Assert.Equal(2, r.Status));
            var tokens = final.Select(r => r.FileToken!).ToList();
            Assert.Equal(ids.Count, tokens.Distinct().Count());
            var files = Directory.GetFiles(Path.Combine(dataDir, "results")).Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();
            Assert.Equal(tokens.Order().ToList(), files); // none lost, none duplicated, no orphan
            Assert.Equal("ok", TaskRows.IntegrityCheck(dataDir));
            output.WriteLine($"{ids.Count} tasks, attempts: {string.Join(",", final.Select(r => r.Attempts))}");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
