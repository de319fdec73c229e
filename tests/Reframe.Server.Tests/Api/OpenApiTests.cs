using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Api;

/// <summary>Issue 14: the OpenAPI document declares the bearer key, the query parameters and examples; the docs page uses the key.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task OpenApi_DeclaresBearerAuthParametersAndExamples()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "0" });
        using var client = server.Client(null);
        var doc = JsonNode.Parse(await client.Http.GetStringAsync("/openapi/v1.json"))!;

        var scheme = doc["components"]!["securitySchemes"]!["Bearer"]!;
        Assert.Equal(("http", "bearer"), (scheme["type"]!.GetValue<string>(), scheme["scheme"]!.GetValue<string>()));
        // The header in full, in a code span, so the docs page's Markdown keeps "<key>".
        Assert.Contains("`Authorization: Bearer <key>`", doc["info"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        var generations = doc["paths"]!["/v2/video/generations"]!;
        foreach (var method in new[] { "get", "post", "delete" })
        {
            Assert.NotNull(generations[method]!["security"]![0]!["Bearer"]);
        }
        foreach (var method in new[] { "get", "delete" })
        {
            var id = generations[method]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "generation_id")!;
            Assert.Equal("query", id["in"]!.GetValue<string>());
            Assert.True(id["required"]!.GetValue<bool>());
            Assert.EndsWith(":alibaba/wan2.2-vace-fun-a14b-reframe", id["example"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var post = generations["post"]!;
        Assert.Equal("https://example.com/clip.mp4", post["requestBody"]!["content"]!["application/json"]!["example"]!["video_url"]!.GetValue<string>());
        Assert.Contains(post["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");
        Assert.NotNull(generations["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!["expires_at"]);
        Assert.NotNull(post["responses"]!["422"]);
        Assert.NotNull(post["responses"]!["429"]);

        var history = doc["paths"]!["/v2/video/generations/history"]!["get"]!;
        Assert.NotNull(history["security"]![0]!["Bearer"]);
        Assert.Equal(["limit", "cursor", "status"], history["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Null(doc["paths"]!["/healthz"]!["get"]!["security"]); // operations endpoints need no key

        // The docs page is configured to ask for the key and send it with this scheme.
        var page = await client.Http.GetStringAsync("/scalar/v1");
        Assert.True(page.Contains("\"preferredSecurityScheme\":[\"Bearer\"]", StringComparison.Ordinal), page);
    }
}
