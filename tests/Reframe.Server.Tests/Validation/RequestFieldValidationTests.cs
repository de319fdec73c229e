using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reframe.Core.Requests;
using Reframe.Server.Validation;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Validation;

/// <summary>The validator against the field table: every field's default, bounds and choices, and every field read.</summary>
public sealed class RequestFieldValidationTests
{
    private static ValidationResult Validate(JsonObject body)
    {
        using var doc = JsonDocument.Parse(body.ToJsonString());
        return GenerationRequestValidator.Validate(doc.RootElement.Clone());
    }

    private static JsonObject Minimal() => new() { ["model"] = GenerationOptions.ModelId, ["video_url"] = "https://e.com/a.mp4" };

    private static JsonObject With(string field, JsonNode? value)
    {
        var body = Minimal();
        body[field] = value;
        return body;
    }

    [Fact]
    public void Validate_ReadsEveryFieldOfTheTable_WhenAllAreSent()
    {
        // image_url and first_frame_url set the same frame and are refused together (GenerationRequestValidatorTests):
        // every field but image_url at once, then image_url in first_frame_url's place.
        var withoutImage = RequestSamples.EveryField();
        withoutImage.Remove("image_url");
        var result = Validate(withoutImage);
        Assert.Empty(result.Errors);
        Assert.Equal(RequestSamples.EveryFieldOptions() with { ImageUrl = null }, result.Options);

        var withImage = RequestSamples.EveryField();
        withImage.Remove("first_frame_url");
        var other = Validate(withImage);
        Assert.Empty(other.Errors);
        Assert.Equal(RequestSamples.EveryFieldOptions() with { FirstFrameUrl = null }, other.Options);
    }

    [Fact]
    public void Validate_AppliesTheTablesDefaults_WhenOnlyRequiredFieldsAreSent()
    {
        var options = Validate(Minimal()).Options!;
        foreach (var field in RequestFields.All.Where(f => !f.Required))
        {
            Assert.Equal(field.DefaultJson, field.JsonValueOf(options));
        }
    }

    [Fact]
    public void Validate_RefusesEachRequiredField_WhenMissing()
    {
        foreach (var field in RequestFields.All.Where(f => f.Required))
        {
            var body = Minimal();
            body.Remove(field.WireName);
            Assert.Equal(field.WireName, Assert.Single(Validate(body).Errors).Field);
        }
    }

    [Fact]
    public void Validate_AcceptsTheBoundsAndRefusesJustOutside_ForEveryRangedField()
    {
        foreach (var field in RequestFields.All)
        {
            var (min, max, step) = field switch
            {
                IntField n => ((double)n.Min, (double)n.Max, 1.0),
                NumberField n => (n.Min, n.Max, 0.01),
                _ => (double.NaN, double.NaN, 0),
            };
            if (double.IsNaN(min))
            {
                continue;
            }
            foreach (var ok in new[] { min, max })
            {
                Assert.Equal(ok, Convert.ToDouble(field.JsonValueOf(Validate(With(field.WireName, ok)).Options!), CultureInfo.InvariantCulture));
            }
            foreach (var bad in new[] { min - step, max + step })
            {
                Assert.Equal(field.WireName, Assert.Single(Validate(With(field.WireName, bad)).Errors).Field);
            }
        }
    }

    [Fact]
    public void Validate_AcceptsEveryChoiceAndNoOther_ForEveryChoiceField()
    {
        foreach (var choice in RequestFields.All.OfType<ChoiceField>())
        {
            foreach (var name in choice.Names)
            {
                Assert.Equal(name, choice.Get(Validate(With(choice.WireName, name)).Options!));
            }
            var error = Assert.Single(Validate(With(choice.WireName, "not-a-choice")).Errors);
            Assert.Equal(choice.WireName, error.Field);
            Assert.Equal("one of " + string.Join(", ", choice.Names), error.Expected);
        }
    }
}
