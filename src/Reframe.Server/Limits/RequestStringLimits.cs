using System.Text.Json;
using Reframe.Core.Requests;
using Reframe.Server.Validation;

namespace Reframe.Server.Limits;

/// <summary>
/// Checks on the raw JSON strings that come before field validation: every string must be valid UTF-8 (a
/// <c>JsonDocument</c> accepts invalid bytes inside a string, and <c>GetString()</c> then throws, which would be a
/// 500 for bad input), prompts are bounded, and http(s) URLs are bounded like the fetcher bounds them (data URIs
/// are bounded by the request body limit instead). The bounds belong to the fields (<see cref="RequestFields"/>).
/// </summary>
public static class RequestStringLimits
{
    public static IReadOnlyList<FieldError> Check(JsonElement root)
    {
        var errors = new List<FieldError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return errors; // the validator names the body
        }
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                continue;
            }
            string text;
            try
            {
                text = property.Value.GetString()!;
            }
            catch (InvalidOperationException)
            {
                errors.Add(new FieldError(property.Name, "valid UTF-8 text", "bytes that are not UTF-8"));
                continue;
            }
            var max = MaxLength(property.Name, text);
            if (max is { } limit && text.Length > limit)
            {
                errors.Add(new FieldError(property.Name, $"at most {limit} characters", $"{text.Length} characters"));
            }
        }
        return errors;
    }

    private static int? MaxLength(string field, string value) => RequestFields.Find(field) switch
    {
        TextField text => text.MaxLength,
        ConstantField constant => constant.MaxLength,
        UrlField when !value.StartsWith("data:", StringComparison.OrdinalIgnoreCase) => UrlField.MaxHttpLength,
        _ => null,
    };
}
