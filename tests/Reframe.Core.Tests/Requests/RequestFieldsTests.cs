using System.Reflection;
using System.Text.Json;
using Reframe.Core.Requests;
using Reframe.TestSupport;

namespace Reframe.Core.Tests.Requests;

/// <summary>The field table against the typed request it describes: every property, default and accessor.</summary>
public sealed class RequestFieldsTests
{
    private static readonly PropertyInfo[] Settable = typeof(GenerationOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is not null)
        .ToArray();

    private static PropertyInfo PropertyOf(RequestField field) =>
        Settable.Single(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == field.WireName);

    [Fact]
    public void Table_HasAFieldForEveryPropertyOfTheTypedRequest_AndNoOther()
    {
        var properties = Settable.Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).Order(StringComparer.Ordinal);
        var fields = RequestFields.All.Where(f => f.Role != FieldRole.Model).Select(f => f.WireName).Order(StringComparer.Ordinal);
        Assert.Equal(properties, fields);
    }

    [Fact]
    public void WireNames_AreUniqueSnakeCase_AndFindable()
    {
        Assert.Equal(RequestFields.All.Count, RequestFields.All.Select(f => f.WireName).Distinct(StringComparer.Ordinal).Count());
        foreach (var field in RequestFields.All)
        {
            Assert.Matches("^[a-z][a-z0-9_]*$", field.WireName);
            Assert.Same(field, RequestFields.Find(field.WireName));
            Assert.False(string.IsNullOrWhiteSpace(field.Description), field.WireName);
        }
        Assert.Null(RequestFields.Find("num-frames"));
    }

    [Fact]
    public void Defaults_OfTheTypedRequest_AreTheTables_AndLieInTheirRangeOrChoices()
    {
        var defaults = new GenerationOptions { VideoUrl = "" };
        foreach (var field in RequestFields.All.Where(f => !f.Required))
        {
            Assert.Equal(field.DefaultJson, field.JsonValueOf(defaults));
            switch (field)
            {
                case IntField number:
                    Assert.InRange(number.Default, number.Min, number.Max);
                    break;
                case NumberField number:
                    Assert.InRange(number.Default, number.Min, number.Max);
                    break;
                case ChoiceField choice:
                    Assert.Contains(choice.Default, choice.Names);
                    break;
            }
        }
    }

    [Fact]
    public void Accessors_ReadAndWriteTheirOwnPropertyOnly()
    {
        var defaults = new GenerationOptions { VideoUrl = "" };
        var sampled = RequestSamples.EveryFieldOptions();
        foreach (var field in RequestFields.All.Where(f => f.Role != FieldRole.Model))
        {
            var property = PropertyOf(field);
            // Set this one field from the sample through the table; only its own property may change.
            var one = StoredRequest.Read(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["model"] = GenerationOptions.ModelId, ["video_url"] = "", [field.WireName] = field.JsonValueOf(sampled),
            }));
            Assert.NotEqual(property.GetValue(defaults), property.GetValue(one));
            Assert.Equal(property.GetValue(sampled), property.GetValue(one));
            foreach (var other in Settable.Where(p => p != property))
            {
                Assert.Equal(other.GetValue(defaults), other.GetValue(one));
            }
        }
    }

    [Fact]
    public void StoredRequest_RoundTripsEveryField_AndWritesEveryFieldThatHasAValue()
    {
        var sampled = RequestSamples.EveryFieldOptions();
        var stored = StoredRequest.Write(sampled);

        Assert.Equal(sampled, StoredRequest.Read(stored));
        using var document = JsonDocument.Parse(stored);
        Assert.Equal(RequestFields.All.Select(f => f.WireName), document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void StoredRequest_TakesTheDefault_WhenAnOlderRowLacksAField()
    {
        var read = StoredRequest.Read($$"""{"model":"{{GenerationOptions.ModelId}}","video_url":"https://e.com/a.mp4"}""");
        Assert.Equal(new GenerationOptions { VideoUrl = "https://e.com/a.mp4" }, read);
    }

    [Theory]
    [InlineData("""{"model":"alibaba/wan2.2-vace-fun-a14b-reframe"}""")]
    [InlineData("""{"model":"alibaba/wan2.2-vace-fun-a14b-reframe","video_url":"https://e.com/a.mp4","num_frames":"81"}""")]
    [InlineData("""{"model":"alibaba/wan2.2-vace-fun-a14b-reframe","video_url":"https://e.com/a.mp4","sampler":"ddim"}""")]
    [InlineData("""{"model":"other","video_url":"https://e.com/a.mp4"}""")]
    public void StoredRequest_Throws_WhenARowDoesNotRead(string json)
    {
        Assert.Throws<InvalidOperationException>(() => StoredRequest.Read(json));
    }
}
