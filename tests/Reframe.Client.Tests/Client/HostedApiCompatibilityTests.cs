using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Reframe.Client.Tests.Client;

/// <summary>
/// The hosted API cannot be reached from tests, so its documented behaviour that differs from Reframe's is
/// reproduced on loopback: a <c>/v2</c> root, a POST answering only <c>{id, status}</c>, GETs answering only the
/// document's fields, and no event stream (a 404 there). The client must fall back to polling.
/// </summary>
public sealed class HostedApiCompatibilityTests
{
    [Fact]
    public async Task RunAsync_PollsToCompletion_WhenServerHasNoEventStream()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        const string id = "b5592d70-dd31-4e5a-bc5c-5063660c001b:alibaba/wan2.2-vace-fun-a14b-reframe";
        var reads = 0;
        string? sawAuthorization = null;
        string? sawQuery = null;
        app.MapPost("/v2/video/generations", (HttpContext c) =>
        {
            sawAuthorization = c.Request.Headers.Authorization;
            return Results.Text($$"""{"id":"{{id}}","status":"queued"}""", "application/json");
        });
        app.MapGet("/v2/video/generations", (HttpContext c) =>
        {
            sawQuery = c.Request.QueryString.Value;
            return Interlocked.Increment(ref reads) < 3
                ? Results.Text($$"""{"id":"{{id}}","status":"generating"}""", "application/json")
                : Results.Text($$$"""{"id":"{{{id}}}","status":"completed","video":{"url":"https://v3b.fal.media/files/b/rabbit/x.mp4"}}""", "application/json");
        });
        await app.StartAsync();
        using var client = new ReframeClient(new Uri(new Uri(app.Urls.First()), "/v2"), "hosted-key");
        var seen = new List<string>();

        var final = await client.RunAsync(new GenerationRequest { VideoUrl = "https://example.com/a.mp4" },
            new SynchronousProgress<Generation>(g => seen.Add(g.Status)), new WaitOptions(TimeSpan.FromMilliseconds(20)));

        Assert.Equal(GenerationStatus.Completed, final.Status);
        Assert.Equal("https://v3b.fal.media/files/b/rabbit/x.mp4", final.Video!.Url);
        Assert.Null(final.Meta);
        Assert.Equal(["queued", "generating", "generating", "completed"], seen);
        Assert.Equal("Bearer hosted-key", sawAuthorization);
        Assert.Equal("?generation_id=" + Uri.EscapeDataString(id), sawQuery);
    }
}
