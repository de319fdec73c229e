using System.Globalization;
using System.Net;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Api;

/// <summary>
/// Issue 14: DELETE of a finished task deletes it now, with its result file and stored inputs; every answer about a
/// finished task carries <c>expires_at</c>. The real service: classic engine, ffmpeg, SQLite, the data directory's files.
/// </summary>
public sealed class DeleteFinishedTests
{
    [Fact]
    public async Task Delete_OfACompletedTask_DeletesTheTaskAndItsResultFile_Now()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_RETENTION_MINUTES"] = "90" });
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 96, 9, 8));
        var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = clip, video_write_mode = "fast" });
        var done = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(2));
        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        var expires = DateTimeOffset.Parse(done["expires_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(88), TimeSpan.FromMinutes(90));
        var url = done["video"]!["url"]!.GetValue<string>();
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "results")));

        // Another key cannot delete it (nor learn that it exists).
        using var other = server.Client(InProcessServer.KeyB);
        Assert.Equal(HttpStatusCode.NotFound, (await other.CancelAsync(id)).Status);

        var (status, body) = await client.CancelAsync(id);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Null(body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url)).StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "results")));
        Assert.Empty(await TaskRows.ReadAsync(server.DataDirectory));
    }

    [Fact]
    public async Task Delete_OfACancelledTask_DeletesTheInputsStoredForIt()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "0" });
        using var client = server.Client();
        // Over 64 KiB inline: the API node keeps it in the blob store (inputs/<task>/video_url) until the task is deleted.
        var large = "data:video/mp4;base64," + Convert.ToBase64String(new byte[80 * 1024]);
        var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = large });
        var inputs = Path.Combine(server.DataDirectory, "inputs", id[..36].Replace("-", "", StringComparison.Ordinal));
        Assert.True(Directory.Exists(inputs) && Directory.GetFiles(inputs).Length == 1, "the large input was not stored as a blob");

        Assert.Equal(HttpStatusCode.Accepted, (await client.CancelAsync(id)).Status);
        Assert.NotNull((await client.GetAsync(id)).Body!["expires_at"]);
        Assert.Equal(HttpStatusCode.NoContent, (await client.CancelAsync(id)).Status);
        Assert.False(Directory.Exists(inputs) && Directory.GetFiles(inputs).Length > 0, "the stored input outlived its task");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(id)).Status);
    }
}
