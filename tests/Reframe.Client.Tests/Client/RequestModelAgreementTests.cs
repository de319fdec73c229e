using System.Text.Json;
using System.Text.Json.Nodes;
using Reframe.Core.Requests;
using Reframe.TestSupport;

namespace Reframe.Client.Tests.Client;

/// <summary>
/// The client's <see cref="GenerationRequest"/> has no dependency (third parties reference it), so it cannot share the field
/// table; these tests hold it to the table instead: the same fields, matching types, every choice, every value round-trips.
/// </summary>
public sealed class RequestModelAgreementTests
{
    private static readonly IReadOnlyDictionary<string, Type> ClientFields =
        ReframeJsonContext.Default.GenerationRequest.Properties.ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.Ordinal);

    [Fact]
    public void ClientRequest_HasExactlyTheTablesFields()
    {
        Assert.Equal(RequestFields.All.Select(f => f.WireName).Order(StringComparer.Ordinal), ClientFields.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ClientRequest_GivesEachFieldTheTypeOfItsKind_NullableSoTheServerDefaultApplies()
    {
        foreach (var field in RequestFields.All)
        {
            var type = ClientFields[field.WireName];
            var expected = field switch
            {
                ConstantField or UrlField or TextField => typeof(string),
                FlagField => typeof(bool?),
                IntField => typeof(int?),
                NumberField => typeof(double?),
                IntegerField => typeof(long?),
                ChoiceField => Nullable.GetUnderlyingType(type) is { IsEnum: true } ? type : typeof(Enum),
                _ => throw new InvalidOperationException(field.WireName),
            };
            Assert.True(expected == type, $"{field.WireName}: client type {type.Name}");
        }
    }

    [Fact]
    public void ClientRequest_RoundTripsEveryFieldsValue()
    {
        var sample = RequestSamples.EveryField();
        var request = sample.Deserialize(ReframeJsonContext.Default.GenerationRequest)!;
        var written = JsonNode.Parse(JsonSerializer.Serialize(request, ReframeJsonContext.Default.GenerationRequest))!;
        Assert.True(JsonNode.DeepEquals(sample, written), $"sent {sample.ToJsonString()}\nread back {written.ToJsonString()}");
    }

    [Fact]
    public void ClientEnums_HaveExactlyTheTablesChoices()
    {
        foreach (var choice in RequestFields.All.OfType<ChoiceField>())
        {
            var enumType = Nullable.GetUnderlyingType(ClientFields[choice.WireName])!;
            Assert.Equal(choice.Names.Count, Enum.GetValues(enumType).Length);
            foreach (var name in choice.Names)
            {
                var body = new JsonObject { ["model"] = GenerationOptions.ModelId, ["video_url"] = "https://e.com/a.mp4", [choice.WireName] = name };
                var request = body.Deserialize(ReframeJsonContext.Default.GenerationRequest)!;
                var written = JsonNode.Parse(JsonSerializer.Serialize(request, ReframeJsonContext.Default.GenerationRequest))!;
                Assert.Equal(name, written[choice.WireName]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public void ClientModelDefault_IsTheTablesConstant()
    {
        Assert.Equal(GenerationRequest.ReframeModel, RequestFields.Model.Value);
        Assert.Equal(RequestFields.Model.Value, new GenerationRequest { VideoUrl = "x" }.Model);
    }
}
