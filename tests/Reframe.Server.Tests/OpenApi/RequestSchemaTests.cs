using System.Globalization;
using System.Text.Json.Nodes;
using Reframe.Core.Requests;
using Reframe.Server.Tests.Http;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.OpenApi;

/// <summary>The OpenAPI document the real server serves, against the field table: every field, type, default, range, choice.</summary>
public sealed class RequestSchemaTests : IClassFixture<ContractServerFixture>
{
    private readonly InProcessServer _server;

    public RequestSchemaTests(ContractServerFixture fixture) => _server = fixture.Server;

    private async Task<JsonNode> ServedDocumentAsync()
    {
        using var client = _server.Client(null);
        return JsonNode.Parse(await client.Http.GetStringAsync("/openapi/v1.json"))!;
    }

    [Fact]
    public async Task ServedSchema_ListsExactlyTheTablesFields_InOrder_WithItsRequiredOnes()
    {
        var doc = await ServedDocumentAsync();
        var schema = doc["components"]!["schemas"]!["GenerationRequest"]!;
        var body = doc["paths"]!["/v2/video/generations"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;

        Assert.Equal("#/components/schemas/GenerationRequest", body["$ref"]!.GetValue<string>());
        Assert.Equal(RequestFields.All.Select(f => f.WireName), schema["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["model", "video_url"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(RequestFields.All.Where(f => f.Required).Select(f => f.WireName).Order(StringComparer.Ordinal),
            schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ServedSchema_GivesEachFieldItsTypeDefaultRangeAndChoices()
    {
        var properties = (await ServedDocumentAsync())["components"]!["schemas"]!["GenerationRequest"]!["properties"]!;
        foreach (var field in RequestFields.All)
        {
            var p = properties[field.WireName]!;
            Assert.Equal(field.Description, p["description"]?.GetValue<string>());
            (string Type, double? Min, double? Max, string[]? Choices) expected = field switch
            {
                ConstantField c => ("string", null, null, [c.Value]),
                UrlField or TextField => ("string", null, null, null),
                FlagField => ("boolean", null, null, null),
                IntField n => ("integer", n.Min, n.Max, null),
                NumberField n => ("number", n.Min, n.Max, null),
                IntegerField => ("integer", null, null, null),
                ChoiceField c => ("string", null, null, [.. c.Names]),
                _ => throw new InvalidOperationException(field.WireName),
            };
            Assert.True(expected.Type == p["type"]?.GetValue<string>(), $"{field.WireName}: type {p["type"]?.ToJsonString()}");
            Assert.Equal(expected.Min, Number(p["minimum"]));
            Assert.Equal(expected.Max, Number(p["maximum"]));
            Assert.Equal(expected.Choices, p["enum"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray());
            var expectedDefault = field.Required ? null : Canonical(field.DefaultJson);
            Assert.True(expectedDefault == Canonical(p["default"]), $"{field.WireName}: default {p["default"]?.ToJsonString()}, table {field.DefaultJson}");
        }
    }

    private static double? Number(JsonNode? node) => node is null ? null : double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    // Defaults compared as invariant text (true, 81, 0.9, 480p), so 5 and 5.0 read alike.
    private static string? Canonical(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        string text => text,
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        JsonNode node => node.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => node.GetValue<string>(),
            System.Text.Json.JsonValueKind.Number => Number(node)!.Value.ToString(CultureInfo.InvariantCulture),
            _ => node.ToJsonString(),
        },
        _ => throw new InvalidOperationException(value.GetType().Name),
    };
}
