using System.Text.Json.Nodes;
using Reframe.Core.Requests;

namespace Reframe.TestSupport;

/// <summary>
/// A valid value other than the default for every field of the table, so a test that sets them all notices a consumer
/// that drops, renames or defaults one. Values are derived from each field's own kind, range and choices.
/// </summary>
public static class RequestSamples
{
    /// <summary>The field's sample as its JSON value.</summary>
    public static JsonNode Json(RequestField field) => field switch
    {
        ConstantField constant => JsonValue.Create(constant.Value),
        // The optional inputs as data URIs, the rest as URLs: both forms are exercised, and every value names its field.
        UrlField url => JsonValue.Create(url.AllowsDataUri && !url.Required ? $"data:text/plain,{url.WireName}" : $"https://example.com/{url.WireName}"),
        TextField text => JsonValue.Create($"{text.WireName} sample"),
        FlagField flag => JsonValue.Create(!flag.Default),
        IntField number => JsonValue.Create(number.Default == number.Max ? number.Min : number.Max),
        NumberField number => JsonValue.Create(number.Default == number.Max ? number.Min : number.Max),
        IntegerField => JsonValue.Create(123456789012L),
        ChoiceField choice => JsonValue.Create(choice.Names.Last(n => n != choice.Default)),
        _ => throw new InvalidOperationException($"No sample for {field.WireName} ({field.GetType().Name})."),
    };

    /// <summary>A request body with every field of the table set to its sample.</summary>
    public static JsonObject EveryField()
    {
        var body = new JsonObject();
        foreach (var field in RequestFields.All)
        {
            body[field.WireName] = Json(field);
        }
        return body;
    }

    /// <summary>The typed request with every field set to its sample, through the table's accessors.</summary>
    public static GenerationOptions EveryFieldOptions()
    {
        var options = new GenerationOptions { VideoUrl = "" };
        foreach (var field in RequestFields.All)
        {
            options = field switch
            {
                ConstantField => options,
                UrlField url => url.With(options, Json(field).GetValue<string>()),
                TextField text => text.With(options, Json(field).GetValue<string>()),
                FlagField flag => flag.With(options, Json(field).GetValue<bool>()),
                IntField number => number.With(options, Json(field).GetValue<int>()),
                NumberField number => number.With(options, Json(field).GetValue<double>()),
                IntegerField integer => integer.With(options, Json(field).GetValue<long>()),
                ChoiceField choice => choice.With(options, Json(field).GetValue<string>()),
                _ => throw new InvalidOperationException($"No sample for {field.WireName}."),
            };
        }
        return options;
    }
}
