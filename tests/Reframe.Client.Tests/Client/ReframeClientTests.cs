using System.Net;
using Reframe.TestSupport;

namespace Reframe.Client.Tests.Client;

/// <summary>The typed client against the real service: Kestrel on loopback, SQLite, ffmpeg and the classic engine.</summary>
public sealed class ReframeClientTests
{
    [Fact]
    public async Task RunAsync_CompletesReportsProgressAndDownloads_WhenServiceRunsClassicEngine()
    {
        await using var service = await ReframeService.StartAsync();
        using var client = service.CreateClient();
        var states = new List<Generation>();
        var request = new GenerationRequest
        {
            VideoUrl = await DataUri.FromFileAsync(SmallClips.Small4x3),
            AspectRatio = ReframeAspectRatio.Landscape16x9,
            Prompt = "a test pattern",
        };

        var final = await client.RunAsync(request, new SynchronousProgress<Generation>(states.Add), new WaitOptions(TimeSpan.FromMilliseconds(200)));

        Assert.Equal(GenerationStatus.Completed, final.Status);
        Assert.EndsWith(":" + GenerationRequest.ReframeModel, final.Id, StringComparison.Ordinal);
        Assert.Equal(GenerationStatus.Queued, states[0].Status);
        Assert.Same(final, states[^1]);
        Assert.Equal(832, final.Video!.Width);
        Assert.Equal(480, final.Video.Height);
        Assert.True(final.Meta!.Usage!.CreditsUsed > 0);
        // 4:3 content on a 16:9 canvas: full height kept, bands generated left and right.
        var keep = final.Meta.KeepRect!;
        Assert.InRange(keep.X, 1, 832 / 2);
        Assert.True(keep.X + keep.Width < 832);

        var path = Path.Combine(TempPaths.NewDirectory("download"), "result.mp4");
        await client.DownloadToFileAsync(final, path);
        var (width, height, frames) = SmallClips.Probe(path);
        Assert.Equal((832, 480), (width, height));
        Assert.Equal(final.Video.NumFrames, frames);
        Assert.False(File.Exists(path + ".part"));
    }

    [Fact]
    public async Task DownloadAsync_DecodesInlineResult_WhenSyncMode()
    {
        await using var service = await ReframeService.StartAsync();
        using var client = service.CreateClient();
        var final = await client.RunAsync(new GenerationRequest
        {
            VideoUrl = await DataUri.FromFileAsync(SmallClips.Small4x3),
            AspectRatio = ReframeAspectRatio.Square1x1,
            SyncMode = true,
        });

        Assert.StartsWith("data:video/mp4;base64,", final.Video!.Url, StringComparison.Ordinal);
        using var bytes = new MemoryStream();
        await client.DownloadAsync(final, bytes);
        Assert.Equal(final.Video.FileSize, bytes.Length);
        Assert.Equal("ftyp"u8.ToArray(), bytes.ToArray()[4..8]);
    }

    [Fact]
    public async Task CancelAsync_EndsQueuedTaskAsCancelled_AndSecondCancelDeletesIt()
    {
        // No workers: the task stays queued until cancelled.
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string> { ["REFRAME_WORKERS"] = "0" });
        using var client = service.CreateClient();
        var created = await client.SubmitAsync(new GenerationRequest { VideoUrl = await DataUri.FromFileAsync(SmallClips.Small4x3) });
        var queued = await client.GetAsync(created.Id);
        Assert.Equal(GenerationStatus.Queued, queued.Status);
        Assert.Equal(0, queued.Meta!.QueuePosition);

        var afterCancel = await client.CancelAsync(created.Id);
        Assert.Equal(GenerationStatus.Error, afterCancel!.Status); // a queued task ends at once
        var final = await client.WaitAsync(created.Id, options: new WaitOptions(TimeSpan.FromMilliseconds(100), UseEvents: false));

        Assert.Equal(GenerationStatus.Error, final.Status);
        Assert.Equal("cancelled", final.Error!.Name);
        Assert.Null(await client.CancelAsync(created.Id)); // ended: deleted (204)
        var gone = await Assert.ThrowsAsync<ReframeApiException>(() => client.GetAsync(created.Id));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task SubmitAsync_ThrowsWithStatusAndFieldDetails_WhenOptionOutOfRange()
    {
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string> { ["REFRAME_WORKERS"] = "0" });
        using var client = service.CreateClient();

        var error = await Assert.ThrowsAsync<ReframeApiException>(() => client.SubmitAsync(new GenerationRequest
        {
            VideoUrl = "https://example.com/clip.mp4",
            NumInferenceSteps = 99,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(400, error.Body!.StatusCode);
        Assert.Contains("num_inference_steps", error.Body.Details!.Value.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_Throws401_WhenKeyIsWrong_And404_WhenIdIsUnknown()
    {
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string> { ["REFRAME_WORKERS"] = "0" });
        using var wrongKey = service.CreateClient("not-a-key");
        using var client = service.CreateClient();
        var unknown = $"{Guid.NewGuid():D}:{GenerationRequest.ReframeModel}";

        var unauthorized = await Assert.ThrowsAsync<ReframeApiException>(() => wrongKey.GetAsync(unknown));
        var notFound = await Assert.ThrowsAsync<ReframeApiException>(() => client.GetAsync(unknown));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.NotNull(notFound.Body?.Message);
    }

    [Fact]
    public void Constructor_KeepsVersionSegment_WhenBaseHasNoTrailingSlash()
    {
        using var client = new ReframeClient(new Uri("https://api.aimlapi.com/v2"), "k");

        Assert.Equal("https://api.aimlapi.com/v2/", client.BaseUri.AbsoluteUri);
    }
}

/// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, so a test sees every report before it asserts.</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
