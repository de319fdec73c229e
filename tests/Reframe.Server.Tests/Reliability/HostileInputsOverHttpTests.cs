using System.Collections.Concurrent;
using System.Net;
using Reframe.Core.Engines;
using Reframe.Server.Tests.Infrastructure;
using Reframe.TestSupport;
using Xunit.Abstractions;

namespace Reframe.Server.Tests.Reliability;

/// <summary>
/// Issue 6 point 2 through the service: hostile inputs (Reframe.TestSupport.HostileCorpus) POSTed as data URIs to
/// the built service in its own process (real fetcher, ffprobe/ffmpeg, classic engine). Each "rejected" input ends
/// as an <c>error</c> task with an acceptable name and a message; each "survives" input ends completed or with a
/// named error; the service still answers its health check; the work folder holds no file afterwards.
/// CI: every 5th input plus the first of each category (~55); REFRAME_RELIABILITY_FULL=1: all 231.
/// </summary>
public sealed class HostileInputsOverHttpTests(ITestOutputHelper output)
{
    private const string Key = "hostile-test-key-0123456789";

    private static readonly HashSet<string> NamedErrors =
    [
        TaskErrorNames.InvalidInput, TaskErrorNames.FileDownloadError, TaskErrorNames.UnsupportedMedia, TaskErrorNames.TooManyFrames,
        TaskErrorNames.EngineFailure, TaskErrorNames.Timeout, TaskErrorNames.AttemptsExhausted, TaskErrorNames.StorageFull,
    ];

    [Fact]
    [Trait("Category", "Slow")]
    public async Task HostileInputs_EndAsNamedErrors_AndLeaveNoTempFile()
    {
        var root = Path.Combine(Path.GetTempPath(), "reframe-hostile-" + Guid.NewGuid().ToString("N"));
        var dataDir = Path.Combine(root, "data");
        var env = new Dictionary<string, string?>
        {
            ["REFRAME_API_KEYS"] = Key, ["REFRAME_WORKERS"] = "2", ["REFRAME_ALLOW_PRIVATE_URLS"] = "false", ["REFRAME_POLL_MS"] = "100",
            ["REFRAME_RATE_LIMIT_PER_MINUTE"] = "0", ["REFRAME_MAX_ACTIVE_TASKS_PER_KEY"] = "0", ["REFRAME_MAX_ATTEMPTS"] = "1",
        };
        try
        {
            var corpus = HostileCorpus.Generate(Path.Combine(root, "corpus"));
            var slice = ReliabilityScale.Full
                ? corpus
                : corpus.Where((input, i) => i % 5 == 0 || corpus.First(c => c.Category == input.Category) == input).ToList();
            var ends = new ConcurrentDictionary<string, (HostileInput Input, string Status, string? Name, string? Message)>();
            await using (var server = await ChildServer.StartAsync(dataDir, env))
            {
                using var client = server.Client(Key);
                var submitted = new List<(string Id, HostileInput Input)>();
                foreach (var input in slice)
                {
                    // Inputs that must be rejected go in with the defaults (matching the source's length, so a
                    // 3000-frame bomb must hit too_many_frames); damaged-but-decodable ones are capped at 17 frames
                    // to keep the run short.
                    object request = input.Expectation == HostileExpectation.Rejected
                        ? new { model = ApiClient.Model, video_url = input.ToDataUri(), aspect_ratio = "1:1", video_write_mode = "fast" }
                        : new
                        {
                            model = ApiClient.Model, video_url = input.ToDataUri(), aspect_ratio = "1:1", video_write_mode = "fast",
                            match_input_num_frames = false, num_frames = 17,
                        };
                    var (status, body, _) = await client.PostAsync(request);
                    if (status == HttpStatusCode.BadRequest && input.RawDataUri is not null)
                    {
                        // A malformed data URI may already be refused at the door, naming the field.
                        Assert.Contains(body!["details"]!.AsArray(), d => d!["field"]!.GetValue<string>() == "video_url");
                        ends[input.Name] = (input, "refused-400", TaskErrorNames.InvalidInput, body["details"]![0]!["received"]?.ToString());
                        continue;
                    }
                    Assert.True(status == HttpStatusCode.OK, $"{input.Name}: POST {(int)status} {body}");
                    submitted.Add((body!["id"]!.GetValue<string>(), input));
                }
                foreach (var (id, input) in submitted)
                {
                    var end = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(ReliabilityScale.Pick(3, 10)));
                    ends[input.Name] = (input, end["status"]!.GetValue<string>(), end["error"]?["name"]?.GetValue<string>(),
                        end["error"]?["message"]?.GetValue<string>());
                }
                using var health = await client.Http.GetAsync("/healthz");
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                // Every task has ended, so no worker owns scratch space any more.
                var work = Path.Combine(dataDir, "work");
                var left = Directory.Exists(work) ? Directory.GetFiles(work, "*", SearchOption.AllDirectories) : [];
                Assert.True(left.Length == 0, "left in work/: " + string.Join(", ", left.Select(Path.GetFileName)));
            }

            var byOutcome = ends.Values.GroupBy(e => e.Status is "completed" or "refused-400" ? e.Status : e.Name ?? "?");
            output.WriteLine($"{ends.Count} hostile inputs: " + string.Join(", ", byOutcome.Select(g => $"{g.Key} {g.Count()}")));
            foreach (var (input, status, name, message) in ends.Values)
            {
                if (input.Expectation == HostileExpectation.Rejected)
                {
                    Assert.True(status is "error" or "refused-400" && name is not null && HostileInput.AcceptableErrors.Contains(name),
                        $"{input.Name} ({input.Why}): {status} {name} {message}");
                }
                else
                {
                    Assert.True(status == "completed" || (name is not null && NamedErrors.Contains(name)), $"{input.Name}: {status} {name} {message}");
                }
                if (status != "completed")
                {
                    Assert.False(string.IsNullOrWhiteSpace(message), input.Name);
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
