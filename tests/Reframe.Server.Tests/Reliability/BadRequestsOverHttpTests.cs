using System.Net;
using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Reliability;

/// <summary>Shares one real service (Kestrel on loopback, SQLite) between the bad-request cases.</summary>
public sealed class BadRequestServerFixture : IAsyncLifetime
{
    public InProcessServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Issue 6 point 3 through the real server: every case of <see cref="BadRequests.All"/> (289 bodies) is POSTed over
/// HTTP and must answer 400 naming its field (415 for a wrong content type), never a 5xx, and create no task.
/// </summary>
public sealed class BadRequestsOverHttpTests(BadRequestServerFixture fixture) : IClassFixture<BadRequestServerFixture>
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in BadRequests.All)
        {
            data.Add(c.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Post_Answers4xxNamingTheField_WhenBodyIsInvalid(string name)
    {
        var bad = BadRequests.All.Single(c => c.Name == name);
        using var client = fixture.Server.Client();
        using var content = new ByteArrayContent(bad.Body);
        content.Headers.Remove("Content-Type");
        if (bad.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", bad.ContentType);
        }
        using var response = await client.Http.PostAsync("/v2/video/generations", content);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;

        Assert.True(status < 500, $"{name}: {status} {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal(status, body["statusCode"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(body["message"]?.GetValue<string>()));
        if (bad.Category == "content-type")
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = body["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(fields);
        if (bad.Field is not null)
        {
            Assert.Contains(bad.Field, fields);
        }
    }

    [Fact]
    public async Task Post_Answers413_WhenBodyIsOverTheLimit()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_MAX_REQUEST_BYTES"] = "4096" });
        using var client = server.Client();
        var big = BadRequests.With("prompt", "\"" + new string('a', 10_000) + "\"");
        var (status, body, _) = await client.PostRawAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, body!["statusCode"]!.GetValue<int>());
    }
}
