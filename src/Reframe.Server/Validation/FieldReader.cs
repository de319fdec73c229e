using System.Globalization;
using System.Text.Json;

namespace Reframe.Server.Validation;

/// <summary>
/// Reads the known fields of a JSON object, collecting an error per bad field instead of throwing.
/// A field that is absent or JSON <c>null</c> takes its default (or is an error when required).
/// </summary>
internal sealed class FieldReader
{
    private const int ReceivedPreview = 80;
    private readonly JsonElement _body;

    public FieldReader(JsonElement body) => _body = body;

    public List<FieldError> Errors { get; } = [];

    public string? String(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            return Bad<string?>(name, "string", value, null);
        }
        return value.GetString();
    }

    /// <summary>An http(s) URL, or (when <paramref name="allowDataUri"/>) a <c>data:</c> URI.</summary>
    public string? Url(string name, bool required = false, bool allowDataUri = true)
    {
        var expected = allowDataUri ? "http(s) URL or data: URI" : "http(s) URL";
        if (!TryGet(name, required, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            return Bad<string?>(name, expected, value, null);
        }
        var text = value.GetString()!;
        if (allowDataUri && text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return text.Contains(',', StringComparison.Ordinal) ? text : Bad<string?>(name, "data: URI of the form data:<type>;base64,<data>", value, null);
        }
        var ok = Uri.TryCreate(text, UriKind.Absolute, out var uri)
                 && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                 && uri.Host.Length > 0;
        return ok ? text : Bad<string?>(name, expected, value, null);
    }

    public bool Bool(string name, bool fallback)
    {
        if (!TryGet(name, false, out var value))
        {
            return fallback;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => Bad(name, "boolean", value, fallback),
        };
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var expected = $"integer {min}..{max}";
        if (!TryGet(name, false, out var value))
        {
            return fallback;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d) || d != Math.Floor(d) || d < min || d > max)
        {
            return Bad(name, expected, value, fallback);
        }
        return (int)d;
    }

    public long? Long(string name)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }
        // A whole number in any JSON spelling (1234, 1234.0, 1.234e3), as for the int fields; decimal keeps every
        // digit of a 64-bit value, where a double would round 2^53 + 1.
        if (value.ValueKind != JsonValueKind.Number)
        {
            return Bad<long?>(name, "integer", value, null);
        }
        if (value.TryGetInt64(out var l))
        {
            return l;
        }
        if (!value.TryGetDecimal(out var d) || d != decimal.Truncate(d) || d < long.MinValue || d > long.MaxValue)
        {
            return Bad<long?>(name, "integer", value, null);
        }
        return (long)d;
    }

    public double Number(string name, double fallback, double min, double max)
    {
        var expected = $"number {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}";
        if (!TryGet(name, false, out var value))
        {
            return fallback;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d) || !double.IsFinite(d) || d < min || d > max)
        {
            return Bad(name, expected, value, fallback);
        }
        return d;
    }

    /// <summary>One of <paramref name="names"/> (the contract's wire names), compared exactly.</summary>
    public string Choice(string name, string fallback, IReadOnlyList<string> names)
    {
        if (!TryGet(name, false, out var value))
        {
            return fallback;
        }
        if (value.ValueKind == JsonValueKind.String && names.Contains(value.GetString()!, StringComparer.Ordinal))
        {
            return value.GetString()!;
        }
        return Bad(name, "one of " + string.Join(", ", names), value, fallback);
    }

    public void Fail(string name, string expected, JsonElement value) => Bad(name, expected, value, 0);

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (_body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        if (required)
        {
            Errors.Add(new FieldError(name, "a value (required)", value.ValueKind == JsonValueKind.Null ? "null" : "nothing"));
        }
        return false;
    }

    private T Bad<T>(string name, string expected, JsonElement value, T fallback)
    {
        Errors.Add(new FieldError(name, expected, Describe(value)));
        return fallback;
    }

    /// <summary>The received value as JSON, cut short: inputs can be megabytes of data URI.</summary>
    public static string Describe(JsonElement value)
    {
        var raw = value.ValueKind == JsonValueKind.Undefined ? "nothing" : value.GetRawText();
        return raw.Length <= ReceivedPreview ? raw : string.Concat(raw.AsSpan(0, ReceivedPreview), "...");
    }
}
