using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;
using Reframe.Server.Tests.Validation;

namespace Reframe.Server.Tests.Http;

/// <summary>The HTTP contract of ../shared/spec/API.md over real HTTP: statuses, bodies, headers, auth and isolation.</summary>
public sealed class ContractTests : IClassFixture<ContractServerFixture>
{
    private const string IdPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:alibaba/wan2\\.2-vace-fun-a14b-reframe$";
    private readonly InProcessServer _server;

    public ContractTests(ContractServerFixture fixture) => _server = fixture.Server;

    private static void AssertErrorBody(JsonNode? body, int status, string path)
    {
        Assert.NotNull(body);
        Assert.Equal(status, body["statusCode"]!.GetValue<int>());
        Assert.Equal(path, body["path"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(body["requestId"]!.GetValue<string>()));
        Assert.True(DateTimeOffset.TryParse(body["timestamp"]!.GetValue<string>(), out _));
    }

    [Theory]
    [MemberData(nameof(ValidationCases.Invalid), MemberType = typeof(ValidationCases))]
    public async Task Post_Answers400NamingTheField_WhenARuleIsBroken(string fragment, string field)
    {
        using var client = _server.Client();
        var (status, body, _) = await client.PostRawAsync(ValidationCases.With(fragment));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertErrorBody(body, 400, "/v2/video/generations");
        Assert.Equal("Body validation error!", body!["message"]!.GetValue<string>());
        var detail = Assert.Single(body["details"]!.AsArray());
        Assert.Equal(field, detail!["field"]!.GetValue<string>());
        Assert.NotNull(detail["expected"]);
        Assert.NotNull(detail["received"]);
    }

    [Theory]
    [MemberData(nameof(ValidationCases.Valid), MemberType = typeof(ValidationCases))]
    public async Task Post_AcceptsAndQueues_WhenValuesAreAtTheEdgesOrUnknown(string fragment)
    {
        using var client = _server.Client();
        var (status, body, response) = await client.PostRawAsync(ValidationCases.With(fragment));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches(IdPattern, body!["id"]!.GetValue<string>());
        Assert.Equal("queued", body["status"]!.GetValue<string>());
        Assert.Equal("0", Assert.Single(response.Headers.GetValues("x-aimlapi-credits-used")));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    public async Task Post_Answers400_WhenTheBodyIsNotAJsonObject(string raw)
    {
        using var client = _server.Client();
        var (status, body, _) = await client.PostRawAsync(raw);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("body", body!["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_Answers413_WhenTheBodyIsLargerThanTheLimit()
    {
        using var client = _server.Client();
        var big = ValidationCases.With($$"""{"prompt":"{{new string('x', ContractServerFixture.MaxRequestBytes)}}"}""");
        var (status, body, _) = await client.PostRawAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertErrorBody(body, 413, "/v2/video/generations");

        // Chunked, so no Content-Length announces it: the limit is enforced while reading.
        using var content = new PushStreamContentOf(Encoding.UTF8.GetBytes(big));
        using var response = await client.Http.PostAsync("/v2/video/generations", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Get_ReturnsTheQueuedTask_WithQueuePositionSeedAndNoCredits()
    {
        using var client = _server.Client();
        var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = "https://example.com/v.mp4", seed = 1234 });
        var (status, body, response) = await client.GetAsync(id);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, body!["id"]!.GetValue<string>());
        Assert.Equal("queued", body["status"]!.GetValue<string>());
        Assert.Null(body["video"]);
        Assert.Null(body["error"]);
        Assert.True(body.AsObject().ContainsKey("video") && body.AsObject().ContainsKey("error"));
        Assert.Equal(0, body["meta"]!["usage"]!["credits_used"]!.GetValue<long>());
        Assert.Equal(1234, body["meta"]!["seed"]!.GetValue<long>());
        Assert.True(body["meta"]!["queue_position"]!.GetValue<long>() >= 0);
        Assert.Equal("0", Assert.Single(response.Headers.GetValues("x-aimlapi-credits-used")));
    }

    [Theory]
    [InlineData("/v2/video/generations")]
    [InlineData("/v2/video/generations?generation_id=")]
    [InlineData("/v2/video/generations?generation_id=abc")]
    [InlineData("/v2/video/generations?generation_id=b5592d70-dd31-4e5a-bc5c-5063660c001b")]
    [InlineData("/v2/video/generations?generation_id=b5592d70-dd31-4e5a-bc5c-5063660c001b:other/model")]
    public async Task GetAndDelete_Answer400_WhenTheGenerationIdIsMissingOrMalformed(string url)
    {
        using var client = _server.Client();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            using var response = await client.Http.SendAsync(new HttpRequestMessage(method, url));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Query validation error!", body!["message"]!.GetValue<string>());
            Assert.Equal("generation_id", body["details"]![0]!["field"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Get_Answers404_WhenTheIdIsUnknown()
    {
        using var client = _server.Client();
        var (status, body, _) = await client.GetAsync($"{Guid.NewGuid()}:{ApiClient.Model}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertErrorBody(body, 404, "/v2/video/generations");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("")]
    public async Task EveryV2Call_Answers401_WhenTheKeyIsMissingOrInvalid(string? key)
    {
        using var owner = _server.Client();
        var id = await owner.SubmitAsync(new { model = ApiClient.Model, video_url = "https://example.com/v.mp4" });
        using var client = _server.Client(key);
        var (postStatus, postBody, _) = await client.PostRawAsync(ValidationCases.ValidBody);
        Assert.Equal(HttpStatusCode.Unauthorized, postStatus);
        AssertErrorBody(postBody, 401, "/v2/video/generations");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(id)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.CancelAsync(id)).Status);
        // The invalid key did not cancel anything.
        Assert.Equal("queued", (await owner.GetAsync(id)).Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_Answers401_BeforeReadingTheBody_WhenTheKeyIsWrong()
    {
        using var client = _server.Client("nope");
        var (status, _, _) = await client.PostRawAsync("{broken");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task AnotherKeysTask_Answers404_ExactlyAsAnUnknownOne()
    {
        using var alice = _server.Client(InProcessServer.KeyA);
        using var bob = _server.Client(InProcessServer.KeyB);
        var id = await alice.SubmitAsync(new { model = ApiClient.Model, video_url = "https://example.com/v.mp4" });
        var (getStatus, getBody, _) = await bob.GetAsync(id);
        var (unknownStatus, unknownBody, _) = await bob.GetAsync($"{Guid.NewGuid()}:{ApiClient.Model}");
        Assert.Equal(HttpStatusCode.NotFound, getStatus);
        Assert.Equal(unknownStatus, getStatus);
        Assert.Equal(unknownBody!["message"]!.GetValue<string>(), getBody!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await bob.CancelAsync(id)).Status);
        Assert.Equal("queued", (await alice.GetAsync(id)).Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_CancelsAQueuedTaskAtOnce_ThenDeletesTheEndedTask()
    {
        using var client = _server.Client();
        var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = "https://example.com/v.mp4" });
        var (status, body) = await client.CancelAsync(id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("error", body!["status"]!.GetValue<string>());
        Assert.Equal("cancelled", body["error"]!["name"]!.GetValue<string>());
        var after = (await client.GetAsync(id)).Body!;
        Assert.Equal("error", after["status"]!.GetValue<string>());
        Assert.Equal("cancelled", after["error"]!["name"]!.GetValue<string>());
        Assert.Equal(0, after["meta"]!["usage"]!["credits_used"]!.GetValue<long>());
        Assert.NotNull(after["expires_at"]); // ended: it says until when it is kept
        var (again, againBody) = await client.CancelAsync(id);
        Assert.Equal(HttpStatusCode.NoContent, again);
        Assert.Null(againBody);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.CancelAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.CancelAsync($"{Guid.NewGuid()}:{ApiClient.Model}")).Status);
    }

    [Fact]
    public async Task OpenApiAndDocsPage_AreServed()
    {
        using var client = _server.Client(null);
        var doc = JsonNode.Parse(await client.Http.GetStringAsync("/openapi/v1.json"))!;
        var path = doc["paths"]!["/v2/video/generations"]!;
        Assert.NotNull(path["post"]);
        Assert.NotNull(path["get"]);
        Assert.NotNull(path["delete"]);
        Assert.NotNull(doc["components"]!["schemas"]!["GenerationRequest"]!["properties"]!["video_url"]);
        var page = await client.Http.GetStringAsync("/scalar/v1");
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
        var health = JsonNode.Parse(await client.Http.GetStringAsync("/healthz"))!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/files/short.mp4")]
    [InlineData("/files/..%2F..%2Freframe.db")]
    [InlineData("/files/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.mp4")]
    public async Task Files_Answer404_WhenTheTokenIsUnknownOrHostile(string url)
    {
        using var client = _server.Client(null);
        using var response = await client.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>Content without a length, so the request goes chunked.</summary>
    private sealed class PushStreamContentOf(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
