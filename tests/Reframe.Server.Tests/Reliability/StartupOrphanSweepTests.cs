using System.Net;
using Reframe.Core.Blobs;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Reliability;

/// <summary>
/// A process killed between a task's upload and its completion leaves a result file no task refers to (the task runs
/// again and writes another), and one killed mid-upload a temporary file. On the single-node default nothing else
/// writes blobs to the data directory, so the next start deletes such files at once, and stored inputs of tasks that
/// no longer exist, while every file a task still needs stays: a completed task's result, a queued task's input.
/// </summary>
public sealed class StartupOrphanSweepTests
{
    [Fact]
    public async Task Start_DeletesWhatNoTaskNeeds_AndKeepsEverythingATaskNeeds()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "reframe-sweep-" + Guid.NewGuid().ToString("N"));
        var noWorkers = new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "0" };
        try
        {
            var small = await Tools.DataUriAsync(await Tools.ClipAsync(96, 96, 9, 8));
            // Over the inline limit: the API moves it to inputs/<task>/video_url.
            var large = await Tools.DataUriAsync(await Tools.ClipAsync(160, 120, 160, 24));
            Assert.True(large.Length > StoredInputs.InlineLimit);
            string url, kept, queued;
            await using (var first = await InProcessServer.StartAsync(dataDirectory: dataDir))
            {
                using var client = first.Client();
                var done = await client.WaitForEndAsync(
                    await client.SubmitAsync(new { model = ApiClient.Model, video_url = small, video_write_mode = "fast" }), TimeSpan.FromMinutes(2));
                Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
                url = new Uri(done["video"]!["url"]!.GetValue<string>()).PathAndQuery;
                kept = Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "results")));
            }
            await using (var second = await InProcessServer.StartAsync(noWorkers, dataDirectory: dataDir))
            {
                using var client = second.Client();
                queued = await client.SubmitAsync(new { model = ApiClient.Model, video_url = large, video_write_mode = "fast" });
            }
            var queuedInput = Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "inputs"), "*", SearchOption.AllDirectories));

            // What killed attempts leave: an uploaded result (written just now, well inside the upkeep's grace), an upload
            // cut short, and the stored input of a task that is gone.
            var stray = Path.Combine(dataDir, BlobKeys.Result(BlobKeys.NewResultToken()));
            await File.WriteAllBytesAsync(stray, new byte[1024]);
            var partial = Path.Combine(dataDir, "results", $".{BlobKeys.NewResultToken()}.mp4.{Guid.NewGuid():N}.part");
            await File.WriteAllBytesAsync(partial, new byte[512]);
            var input = Path.Combine(dataDir, StoredInputs.Key(Guid.NewGuid(), "video_url"));
            Directory.CreateDirectory(Path.GetDirectoryName(input)!);
            await File.WriteAllTextAsync(input, "data:video/mp4;base64,AAAA");

            await using (var third = await InProcessServer.StartAsync(noWorkers, dataDirectory: dataDir))
            {
                Assert.False(File.Exists(stray));
                Assert.False(File.Exists(partial));
                Assert.False(File.Exists(input));
                Assert.Equal([kept], Directory.GetFiles(Path.Combine(dataDir, "results")));
                Assert.Equal([queuedInput], Directory.GetFiles(Path.Combine(dataDir, "inputs"), "*", SearchOption.AllDirectories));
                using var download = new HttpClient();
                Assert.Equal(HttpStatusCode.OK, (await download.GetAsync(new Uri(third.BaseAddress, url))).StatusCode);
            }
            // The queued task still runs from its stored input.
            await using (var fourth = await InProcessServer.StartAsync(dataDirectory: dataDir))
            {
                using var client = fourth.Client();
                var done = await client.WaitForEndAsync(queued, TimeSpan.FromMinutes(2));
                Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
            }
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }
}
