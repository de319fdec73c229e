using System.Text.Json;
using Reframe.Server.Validation;

namespace Reframe.Server.Limits;

/// <summary>
/// Checks on the raw JSON strings that come before field validation: every string must be valid UTF-8 (a
/// <c>JsonDocument</c> accepts invalid bytes inside a string, and <c>GetString()</c> then throws, which would be a
/// 500 for bad input), prompts are bounded, and http(s) URLs are bounded like the fetcher bounds them (data URIs
/// are bounded by the request body limit instead).
/// </summary>
public static class RequestStringLimits
{
    /// <summary>The text encoder reads 512 tokens; 20,000 characters is far beyond any real prompt.</summary>
    public const int MaxPromptChars = 20_000;

    /// <summary>Same as the fetcher's longest accepted URL.</summary>
    public const int MaxHttpUrlChars = 8 * 1024;

    /// <summary>Model names are short; anything longer is not a model we serve.</summary>
    public const int MaxModelChars = 256;

    private static readonly string[] PromptFields = ["prompt", "negative_prompt"];
    private static readonly string[] UrlFields = ["video_url", "image_url", "first_frame_url", "last_frame_url", "webhook_url"];

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

    private static int? MaxLength(string field, string value)
    {
        if (PromptFields.Contains(field, StringComparer.Ordinal))
        {
            return MaxPromptChars;
        }
        if (field == "model")
        {
            return MaxModelChars;
        }
        if (UrlFields.Contains(field, StringComparer.Ordinal) && !value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return MaxHttpUrlChars;
        }
        return null;
    }
}
