using System.Text.Json;
using Reframe.Core.Requests;

namespace Reframe.Server.Validation;

/// <summary>
/// The request body of ../shared/spec/API.md as a pure function: JSON in, options or every bad field out.
/// Unknown fields are ignored; a known field with the wrong type or out of range is an error, never clamped.
/// The fields, defaults, ranges and choices are <see cref="RequestFields"/>'s; this says, kind by kind, what is wrong.
/// </summary>
public static class GenerationRequestValidator
{
    public static ValidationResult Validate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new ValidationResult(null, [new FieldError("body", "a JSON object", FieldReader.Describe(body))]);
        }
        var f = new FieldReader(body);
        var options = new GenerationOptions { VideoUrl = "" };
        foreach (var field in RequestFields.All)
        {
            options = Read(f, body, field, options);
        }
        if (options.ImageUrl is not null && options.FirstFrameUrl is not null)
        {
            // Both name the first frame (the contract says image_url is first_frame_url): with two, one would be dropped silently.
            // One detail per field, so a client that highlights fields highlights both.
            f.Fail("image_url", "absent when first_frame_url is given (both set the first frame: send one of them)", body.GetProperty("image_url"));
            f.Fail("first_frame_url", "absent when image_url is given (both set the first frame: send one of them)", body.GetProperty("first_frame_url"));
        }
        return f.Errors.Count == 0 ? new ValidationResult(options, []) : new ValidationResult(null, f.Errors);
    }

    /// <summary>One field by its kind: the table (Core) says what it is, the reader says what is wrong with it.</summary>
    private static GenerationOptions Read(FieldReader f, JsonElement body, RequestField field, GenerationOptions options)
    {
        var name = field.WireName;
        switch (field)
        {
            case ConstantField constant:
                if (f.String(name, constant.Required) is { } value && !string.Equals(value, constant.Value, StringComparison.Ordinal))
                {
                    f.Fail(name, $"\"{constant.Value}\"", body.GetProperty(name));
                }
                return options;
            case UrlField url:
                return url.With(options, f.Url(name, url.Required, url.AllowsDataUri) ?? url.Default);
            case TextField text:
                return text.With(options, f.String(name) ?? text.Default);
            case FlagField flag:
                return flag.With(options, f.Bool(name, flag.Default));
            case IntField number:
                return number.With(options, f.Int(name, number.Default, number.Min, number.Max));
            case NumberField number:
                return number.With(options, f.Number(name, number.Default, number.Min, number.Max));
            case IntegerField integer:
                return integer.With(options, f.Long(name));
            case ChoiceField choice:
                return choice.With(options, f.Choice(name, choice.Default, choice.Names));
            default:
                throw new InvalidOperationException($"No validation for the kind of {name} ({field.GetType().Name}).");
        }
    }
}
