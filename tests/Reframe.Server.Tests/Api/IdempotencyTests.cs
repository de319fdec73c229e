using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Api;

/// <summary>Issue 14: the <c>Idempotency-Key</c> header of POST, and <c>meta.queue_position</c> in its answer.</summary>
public sealed class IdempotencyTests
{
    private const string Json = """{"model":"alibaba/wan2.2-vace-fun-a14b-reframe","video_url":"https://example.com/a.mp4","seed":5}""";

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(ApiClient client, string json, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/video/generations")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        using var response = await client.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static Task<InProcessServer> StartAsync() =>
        InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "0" });

    [Fact]
    public async Task Post_ReturnsTheSameTask_WhenTheSameKeyComesWithTheSameRequest()
    {
        await using var server = await StartAsync();
        using var alice = server.Client(InProcessServer.KeyA);
        using var bob = server.Client(InProcessServer.KeyB);
        var (status, first) = await PostAsync(alice, Json, "order-17");
        Assert.Equal(HttpStatusCode.OK, status);
        var id = first!["id"]!.GetValue<string>();

        // The same request written differently (field order, whitespace, an explicit default) is the same request.
        var (againStatus, again) = await PostAsync(alice,
            """{ "seed": 5, "video_url": "https://example.com/a.mp4", "model": "alibaba/wan2.2-vace-fun-a14b-reframe", "num_frames": 81 }""", "order-17");
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(id, again!["id"]!.GetValue<string>());
        Assert.Equal("queued", again["status"]!.GetValue<string>());

        // Keys are scoped per API key, and no key means a new task each time.
        Assert.NotEqual(id, (await PostAsync(bob, Json, "order-17")).Body!["id"]!.GetValue<string>());
        Assert.NotEqual(id, (await PostAsync(alice, Json, null)).Body!["id"]!.GetValue<string>());
        Assert.NotEqual(id, (await PostAsync(alice, Json, "order-18")).Body!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_CreatesOneTask_WhenRetriesWithOneKeyArriveAtOnce()
    {
        await using var server = await StartAsync();
        using var client = server.Client();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => PostAsync(client, Json, "burst"))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers.Select(a => a.Body!["id"]!.GetValue<string>()).Distinct());
        Assert.Single(await TaskRows.ReadAsync(server.DataDirectory));
    }

    [Fact]
    public async Task Post_Answers422NamingTheHeader_WhenTheKeyIsReusedWithAnotherBody()
    {
        await using var server = await StartAsync();
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Json, "k-1")).Status);
        var (status, body) = await PostAsync(client, Json.Replace("\"seed\":5", "\"seed\":6", StringComparison.Ordinal), "k-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(422, body!["statusCode"]!.GetValue<int>());
        Assert.Contains("Idempotency-Key", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Idempotency-Key", Assert.Single(body["details"]!.AsArray())!["field"]!.GetValue<string>());
        Assert.Single(await TaskRows.ReadAsync(server.DataDirectory));
    }

    [Fact]
    public async Task Post_Answers400NamingTheHeader_WhenTheKeyIsUnusable()
    {
        await using var server = await StartAsync();
        using var client = server.Client();
        foreach (var bad in new[] { "", new string('k', 256), "has space" })
        {
            var (status, body) = await PostAsync(client, Json, bad);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("Idempotency-Key", Assert.Single(body!["details"]!.AsArray())!["field"]!.GetValue<string>());
        }
        Assert.Empty(await TaskRows.ReadAsync(server.DataDirectory));
    }

    [Fact]
    public async Task Post_AnswersWithItsQueuePosition()
    {
        await using var server = await StartAsync();
        using var client = server.Client();
        for (var i = 0; i < 3; i++)
        {
            var (_, body) = await PostAsync(client, Json, null);
            Assert.Equal(i, body!["meta"]!["queue_position"]!.GetValue<long>());
        }
    }
}
