using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Http;

/// <summary>
/// Durability: the service process is killed with SIGKILL while tasks are queued and running, started again on
/// the same data directory, and every task still ends exactly once.
/// </summary>
public sealed class ProcessKillTests
{
    private const string Key = "kill-test-key-0123456789";

    [Fact]
    public async Task KilledService_FinishesEveryTaskExactlyOnce_AfterRestart()
    {
        const int count = 6;
        var dataDir = Path.Combine(Path.GetTempPath(), "reframe-kill-" + Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string?>
        {
            ["REFRAME_API_KEYS"] = Key, ["REFRAME_WORKERS"] = "2", ["REFRAME_ALLOW_PRIVATE_URLS"] = "true", ["REFRAME_POLL_MS"] = "200",
        };
        try
        {
            var clip = await Tools.DataUriAsync(await Tools.ClipAsync(160, 120, 49, 12));
            var body = new { model = ApiClient.Model, video_url = clip, aspect_ratio = "16:9", video_write_mode = "fast" };
            var ids = new List<string>();
            await using (var first = await ChildServer.StartAsync(dataDir, env))
            {
                using var client = first.Client(Key);
                for (var i = 0; i < count; i++)
                {
                    ids.Add(await client.SubmitAsync(body));
                }
                // Kill while at least one task is mid-generation and others wait (more are submitted if they ran out).
                await MidGeneration.WaitForOneAsync(client, ids, body, keepQueued: 2);
                await first.KillAsync();
            }

            var atKill = await TaskRows.ReadAsync(dataDir);
            Assert.Equal(ids.Count, atKill.Count); // every 200 was on disk
            Assert.Contains(atKill, r => r.Status == 1); // something was in flight
            Assert.Contains(atKill, r => r.Status == 0); // something was still queued

            await using (var second = await ChildServer.StartAsync(dataDir, env))
            {
                Assert.Contains(second.Output, l => l.Contains("left running by a previous process were recovered", StringComparison.Ordinal)
                                                    && !l.Contains(" 0 task(s)", StringComparison.Ordinal));
                using var client = second.Client(Key);
                foreach (var id in ids)
                {
                    var done = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(3));
                    Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
                    using var download = new HttpClient();
                    var bytes = await download.GetByteArrayAsync(done["video"]!["url"]!.GetValue<string>());
                    Assert.Equal(done["video"]!["file_size"]!.GetValue<long>(), bytes.LongLength);
                }
            }

            var rows = await TaskRows.ReadAsync(dataDir);
            Assert.All(rows, r => Assert.Equal(2, r.Status));
            // Exactly once: one result per task, no stray files from the killed attempts, and the tasks that
            // were running at the kill were taken exactly one more time.
            var tokens = rows.Select(r => r.FileToken).ToList();
            Assert.Equal(ids.Count, tokens.Distinct().Count());
            var files = Directory.GetFiles(Path.Combine(dataDir, "results")).Select(Path.GetFileNameWithoutExtension).Order().ToList();
            Assert.Equal(tokens.Order().ToList(), files);
            foreach (var row in rows)
            {
                var before = atKill.Single(r => r.Id == row.Id);
                Assert.Equal(before.Status == 1 ? before.Attempts + 1 : Math.Max(1, before.Attempts), row.Attempts);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
