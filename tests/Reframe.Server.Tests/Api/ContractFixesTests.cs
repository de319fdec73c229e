using System.Net;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Api;

/// <summary>Issue 14's contract fixes, over real HTTP: a whole seed in any JSON spelling, and no silent drop of image_url.</summary>
public sealed class ContractFixesTests
{
    private static Task<InProcessServer> StartAsync() =>
        InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "0" });

    [Fact]
    public async Task Post_AcceptsSeed1234Point0_AndUsesSeed1234()
    {
        await using var server = await StartAsync();
        using var client = server.Client();
        var (status, body, _) = await client.PostRawAsync(
            """{"model":"alibaba/wan2.2-vace-fun-a14b-reframe","video_url":"https://example.com/a.mp4","seed":1234.0}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1234, body!["meta"]!["seed"]!.GetValue<long>());
        Assert.Equal(1234, (await client.GetAsync(body["id"]!.GetValue<string>())).Body!["meta"]!["seed"]!.GetValue<long>());
    }

    [Fact]
    public async Task Post_Answers400NamingBoth_WhenImageUrlAndFirstFrameUrlAreSent()
    {
        await using var server = await StartAsync();
        using var client = server.Client();
        var (status, body, _) = await client.PostRawAsync(
            """{"model":"alibaba/wan2.2-vace-fun-a14b-reframe","video_url":"https://example.com/a.mp4","image_url":"https://example.com/a.jpg","first_frame_url":"https://example.com/b.jpg"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Body validation error!", body!["message"]!.GetValue<string>());
        Assert.Equal(["image_url", "first_frame_url"], body["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()));
        Assert.Empty(await TaskRows.ReadAsync(server.DataDirectory));
    }
}
