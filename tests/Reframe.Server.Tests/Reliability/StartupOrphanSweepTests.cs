using System.Net;
using Reframe.Core.Blobs;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Reliability;

/// <summary>
/// A process killed between a task's upload and its completion leaves a result file no task refers to (the task runs
/// again and writes another). On the single-node default nothing else writes to the data directory, so the next start
/// deletes such files at once, and stored inputs of tasks that no longer exist, while every file a task refers to stays.
/// </summary>
public sealed class StartupOrphanSweepTests
{
    [Fact]
    public async Task Start_DeletesResultsNoTaskRefersTo_AndKeepsTheOthers()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "reframe-sweep-" + Guid.NewGuid().ToString("N"));
        try
        {
            string url, kept;
            await using (var first = await InProcessServer.StartAsync(dataDirectory: dataDir))
            {
                using var client = first.Client();
                var clip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 96, 9, 8));
                var done = await client.WaitForEndAsync(
                    await client.SubmitAsync(new { model = ApiClient.Model, video_url = clip, video_write_mode = "fast" }), TimeSpan.FromMinutes(2));
                Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
                url = new Uri(done["video"]!["url"]!.GetValue<string>()).PathAndQuery;
                kept = Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "results")));
            }

            // What a killed attempt leaves: an uploaded result (written just now, well inside the upkeep's grace) and the
            // stored input of a task that is gone.
            var stray = Path.Combine(dataDir, BlobKeys.Result(BlobKeys.NewResultToken()));
            await File.WriteAllBytesAsync(stray, new byte[1024]);
            var input = Path.Combine(dataDir, StoredInputs.Key(Guid.NewGuid(), "video_url"));
            Directory.CreateDirectory(Path.GetDirectoryName(input)!);
            await File.WriteAllTextAsync(input, "data:video/mp4;base64,AAAA");

            await using (var second = await InProcessServer.StartAsync(dataDirectory: dataDir))
            {
                Assert.False(File.Exists(stray));
                Assert.False(File.Exists(input));
                Assert.Equal([kept], Directory.GetFiles(Path.Combine(dataDir, "results")));
                using var download = new HttpClient();
                Assert.Equal(HttpStatusCode.OK, (await download.GetAsync(new Uri(second.BaseAddress, url))).StatusCode);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
