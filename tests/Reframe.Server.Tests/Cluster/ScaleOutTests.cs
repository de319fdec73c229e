using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Reframe.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Reframe.Server.Tests.Cluster;

/// <summary>
/// Issue 13 point 4: real processes on one machine. 60 classic-engine tasks go in through both API nodes; a worker is
/// SIGKILLed while it holds a task; an API node is SIGKILLed and restarted mid-run; a cancel sent to one API node
/// stops the task on whichever worker holds it. Then: every task completed exactly once (one "completed" line per
/// task in the logs of every worker, killed ones included, and the store agrees), every result downloads byte-identical
/// from both API nodes (range requests too), and the store holds no blob that no task refers to. The same scenario
/// runs on the embedded default, where the one process is both the worker and the API node that get killed.
/// </summary>
public sealed partial class ScaleOutTests(ITestOutputHelper output)
{
    private const int Tasks = 60;
    private const int LongTasks = 3;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Cluster_TwoApiNodesThreeWorkers_SurvivesKills_EveryTaskCompletesOnce()
    {
        await using var cluster = await ClusterDeployment.StartAsync();
        await RunScenarioAsync(cluster, Tasks);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Embedded_OneProcess_SurvivesKills_EveryTaskCompletesOnce()
    {
        await using var embedded = await EmbeddedDeployment.StartAsync();
        await RunScenarioAsync(embedded, 20);
    }

    private async Task RunScenarioAsync(IDeployment deployment, int taskCount)
    {
        var started = DateTime.UtcNow;
        // A key made with the CLI after every node started works on each of them at once (no restart).
        var key = await deployment.CreateKeyAsync();
        var api = (int i) => deployment.ApiNodes[i % deployment.ApiNodes.Count].Client(key);
        var longClip = await Tools.DataUriAsync(await Tools.ClipAsync(160, 120, 160, 24));
        var shortClip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 72, 9, 8));
        object Body(string clip) => new { model = ApiClient.Model, video_url = clip, aspect_ratio = "16:9", video_write_mode = "fast" };

        var ids = new List<string>();
        async Task SubmitAsync(int node, string clip)
        {
            using var client = api(node);
            ids.Add(await client.SubmitAsync(Body(clip)));
        }

        // Long tasks first, so a worker is surely busy when it is killed. Their clips are over the inline limit: the
        // API node moves them to the blob store and the row keeps a reference.
        for (var i = 0; i < LongTasks; i++)
        {
            await SubmitAsync(i, longClip);
        }
        Assert.Contains(await deployment.ResultBlobsAsync(), k => k.StartsWith("inputs/", StringComparison.Ordinal));
        var killedTask = await deployment.KillAWorkerHoldingOneOfAsync(ids.Select(TaskId).ToList(), TimeSpan.FromSeconds(60));
        output.WriteLine($"{deployment.Name}: SIGKILLed the worker holding {killedTask} after {(DateTime.UtcNow - started).TotalSeconds:0.0} s");

        var half = taskCount / 2;
        while (ids.Count < half)
        {
            await SubmitAsync(ids.Count, shortClip);
        }
        // An API node dies mid-run and comes back on the same data directory; submissions go on through the other.
        var lastApi = deployment.ApiNodes.Count - 1;
        await deployment.KillApiAsync(lastApi);
        if (deployment.ApiNodes.Count > 1)
        {
            while (ids.Count < half + 5)
            {
                await SubmitAsync(0, shortClip);
            }
        }
        await deployment.RestartApiAsync(lastApi);
        output.WriteLine($"API node {lastApi} SIGKILLed and restarted after {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        while (ids.Count < taskCount)
        {
            await SubmitAsync(ids.Count, shortClip);
        }

        // Cancel through one API node a task that a worker (on whichever node) is running.
        using (var first = api(0))
        {
            var cancelId = await first.SubmitAsync(Body(longClip));
            var holder = await WaitForHolderAsync(deployment, TaskId(cancelId), TimeSpan.FromSeconds(120));
            using var other = api(1);
            var asked = DateTime.UtcNow;
            var (status, _) = await other.CancelAsync(cancelId);
            Assert.Equal(HttpStatusCode.Accepted, status);
            var cancelled = await first.WaitForEndAsync(cancelId, TimeSpan.FromSeconds(30));
            var took = DateTime.UtcNow - asked;
            Assert.Equal(("error", "cancelled"), (cancelled["status"]!.GetValue<string>(), cancelled["error"]!["name"]!.GetValue<string>()));
            // Stopped by the worker that held it (its log says so; a lease running out would not), promptly: the bound is
            // loose because five .NET processes, PostgreSQL, s3rver and ffmpeg share two cores here.
            await WaitForAsync(() => deployment.WorkerLog().Any(l => l.Contains($"Task {TaskId(cancelId)} cancelled while running", StringComparison.Ordinal)));
            Assert.True(took < TimeSpan.FromSeconds(15), $"the cancel took {took.TotalSeconds:0.0} s");
            output.WriteLine($"cancel via API node {1 % deployment.ApiNodes.Count} stopped {cancelId} on {holder} in {took.TotalMilliseconds:0} ms");
        }

        // Every task completes.
        var results = new Dictionary<string, JsonNode>();
        using (var poll = api(0))
        {
            foreach (var id in ids)
            {
                var done = await poll.WaitForEndAsync(id, TimeSpan.FromMinutes(5));
                Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
                results[id] = done;
            }
        }

        // Exactly once: one "completed" line per task across every worker's log, killed ones included.
        var log = deployment.WorkerLog().ToList();
        var completions = ids.ToDictionary(id => id, id => log.Count(l => l.Contains($"Task {TaskId(id)} completed", StringComparison.Ordinal)));
        var duplicates = completions.Values.Sum(c => Math.Max(0, c - 1));
        Assert.All(completions, c => Assert.True(c.Value == 1, $"{c.Key} completed {c.Value} times"));
        var rows = await deployment.ReadTasksAsync();
        Assert.All(ids, id => Assert.Equal(2, rows.Single(r => r.Id == TaskId(id)).Status));
        Assert.True(rows.Single(r => r.Id == killedTask).Attempts >= 2, "the killed worker's task was not taken again");

        // Every result downloads byte-identical from every API node, whole and by range.
        var digests = new HashSet<string>();
        foreach (var (id, done) in results)
        {
            var url = new Uri(done["video"]!["url"]!.GetValue<string>());
            var size = done["video"]!["file_size"]!.GetValue<long>();
            string? previous = null;
            for (var node = 0; node < Math.Max(2, deployment.ApiNodes.Count); node++)
            {
                using var client = api(node);
                var bytes = await client.Http.GetByteArrayAsync(url.PathAndQuery);
                Assert.Equal(size, bytes.Length);
                var digest = Convert.ToHexString(SHA256.HashData(bytes));
                Assert.True(previous is null || previous == digest, $"{id}: nodes served different bytes");
                previous = digest;
            }
            digests.Add(previous!);
        }
        using (var ranged = api(0))
        {
            var path = new Uri(results.First().Value["video"]!["url"]!.GetValue<string>()).PathAndQuery;
            var whole = await ranged.Http.GetByteArrayAsync(path);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
            using var partial = await ranged.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(whole.AsSpan(100, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());
        }

        if (deployment is ClusterDeployment cluster)
        {
            await cluster.CheckRolesAsync(new Uri(results.First().Value["video"]!["url"]!.GetValue<string>()).PathAndQuery, key);
        }

        // No orphaned blobs: the store holds exactly the completed tasks' results (stored inputs were deleted when
        // their tasks ended, the cancelled one's included).
        var expected = rows.Where(r => r.FileToken is not null).Select(r => $"results/{r.FileToken}.mp4").Order().ToList();
        var blobs = (await deployment.ResultBlobsAsync()).Order().ToList();
        Assert.Equal(expected, blobs);
        Assert.Equal(taskCount, expected.Count);

        output.WriteLine($"{deployment.Name}: tasks {taskCount} (+1 cancelled), kills: 1 worker holding a task + 1 API node (restarted), " +
                         $"completions {completions.Values.Sum()}, duplicates {duplicates}, attempts of the killed worker's task {rows.Single(r => r.Id == killedTask).Attempts}, " +
                         $"result blobs {blobs.Count}, orphans {blobs.Except(expected).Count()}, wall {(DateTime.UtcNow - started).TotalSeconds:0} s");
        Assert.Equal(0, duplicates);
    }

    private static Guid TaskId(string publicId) => Guid.Parse(publicId.AsSpan(0, 36));

    private static async Task<string> WaitForHolderAsync(IDeployment deployment, Guid task, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await deployment.LeaseOwnerAsync(task) is { } owner)
            {
                return owner;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no worker took {task}");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition did not become true within 10 s");
            await Task.Delay(50);
        }
    }
}
