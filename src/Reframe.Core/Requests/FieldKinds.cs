using System.Text.Json;

namespace Reframe.Core.Requests;

// The kinds of request field. Each knows its stored form (write and strict read); validation, the OpenAPI schema and the
// CLI's flags dispatch on the kind, because how a kind is checked or shown is theirs to say (Server, Cli).

/// <summary>Free text with a default and a length bound (prompts).</summary>
public sealed class TextField(string wireName, string defaultValue, int maxLength, Func<GenerationOptions, string> get,
    Func<GenerationOptions, string, GenerationOptions> with, string description)
    : RequestField<string>(wireName, FieldRole.Setting, defaultValue, get, with, description)
{
    public int MaxLength { get; } = maxLength;

    internal override void Write(Utf8JsonWriter writer, GenerationOptions options) => writer.WriteString(WireName, Get(options));

    internal override GenerationOptions Read(JsonElement value, GenerationOptions options) => With(options, value.GetString()!);
}

/// <summary>An http(s) URL or, where <see cref="AllowsDataUri"/>, a data: URI; absent by default.</summary>
public sealed class UrlField(string wireName, FieldRole role, bool allowsDataUri, Func<GenerationOptions, string?> get,
    Func<GenerationOptions, string?, GenerationOptions> with, string description)
    : RequestField<string?>(wireName, role, null, get, with, description)
{
    /// <summary>Same as the fetcher's longest accepted URL; data URIs are bounded by the body limit instead.</summary>
    public const int MaxHttpLength = 8 * 1024;

    public bool AllowsDataUri { get; } = allowsDataUri;

    internal override void Write(Utf8JsonWriter writer, GenerationOptions options)
    {
        if (Get(options) is { } url)
        {
            writer.WriteString(WireName, url);
        }
    }

    internal override GenerationOptions Read(JsonElement value, GenerationOptions options) => With(options, value.GetString());
}

public sealed class FlagField(string wireName, FieldRole role, bool defaultValue, Func<GenerationOptions, bool> get,
    Func<GenerationOptions, bool, GenerationOptions> with, string description)
    : RequestField<bool>(wireName, role, defaultValue, get, with, description)
{
    internal override void Write(Utf8JsonWriter writer, GenerationOptions options) => writer.WriteBoolean(WireName, Get(options));

    internal override GenerationOptions Read(JsonElement value, GenerationOptions options) => With(options, value.GetBoolean());
}

/// <summary>A whole number within <see cref="Min"/>..<see cref="Max"/>, both included.</summary>
public sealed class IntField(string wireName, int defaultValue, int min, int max, Func<GenerationOptions, int> get,
    Func<GenerationOptions, int, GenerationOptions> with, string description)
    : RequestField<int>(wireName, FieldRole.Setting, defaultValue, get, with, description)
{
    public int Min { get; } = min;

    public int Max { get; } = max;

    internal override void Write(Utf8JsonWriter writer, GenerationOptions options) => writer.WriteNumber(WireName, Get(options));

    internal override GenerationOptions Read(JsonElement value, GenerationOptions options) => With(options, value.GetInt32());
}

/// <summary>A finite number within <see cref="Min"/>..<see cref="Max"/>, both included.</summary>
public sealed class NumberField(string wireName, double defaultValue, double min, double max, Func<GenerationOptions, double> get,
    Func<GenerationOptions, double, GenerationOptions> with, string description)
    : RequestField<double>(wireName, FieldRole.Setting, defaultValue, get, with, description)
{
    public double Min { get; } = min;

    public double Max { get; } = max;

    internal override void Write(Utf8JsonWriter writer, GenerationOptions options) => writer.WriteNumber(WireName, Get(options));

    internal override GenerationOptions Read(JsonElement value, GenerationOptions options) => With(options, value.GetDouble());
}

/// <summary>A 64-bit integer with no default: absent means the server picks (the seed).</summary>
public sealed class IntegerField(string wireName, Func<GenerationOptions, long?> get, Func<GenerationOptions, long?, GenerationOptions> with,
    string description)
    : RequestField<long?>(wireName, FieldRole.Setting, null, get, with, description)
{
    internal override void Write(Utf8JsonWriter writer, GenerationOptions options)
    {
        if (Get(options) is { } value)
        {
            writer.WriteNumber(WireName, value);
        }
    }

    internal override GenerationOptions Read(JsonElement value, GenerationOptions options) => With(options, value.GetInt64());
}

/// <summary>One of a fixed set of wire names (<see cref="WireNames"/>), carried on the request as an enum.</summary>
public sealed class ChoiceField : RequestField<string>
{
    private ChoiceField(string wireName, IReadOnlyList<string> names, string defaultName, Func<GenerationOptions, string> get,
        Func<GenerationOptions, string, GenerationOptions> with, string description)
        : base(wireName, FieldRole.Setting, defaultName, get, with, description) => Names = names;

    /// <summary>The accepted wire names, in the contract's order.</summary>
    public IReadOnlyList<string> Names { get; }

    public static ChoiceField Of<TEnum>(string wireName, IReadOnlyDictionary<string, TEnum> table, TEnum defaultValue,
        Func<GenerationOptions, TEnum> get, Func<GenerationOptions, TEnum, GenerationOptions> with, string description)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(table);
        return new ChoiceField(wireName, [.. table.Keys], NameOf(table, defaultValue),
            o => NameOf(table, get(o)),
            (o, name) => table.TryGetValue(name, out var v) ? with(o, v) : throw new ArgumentOutOfRangeException(wireName, name, "not one of " + string.Join(", ", table.Keys)),
            description);
    }

    internal override void Write(Utf8JsonWriter writer, GenerationOptions options) => writer.WriteString(WireName, Get(options));

    internal override GenerationOptions Read(JsonElement value, GenerationOptions options) => With(options, value.GetString()!);

    private static string NameOf<TEnum>(IReadOnlyDictionary<string, TEnum> table, TEnum value) where TEnum : struct, Enum =>
        table.First(p => EqualityComparer<TEnum>.Default.Equals(p.Value, value)).Key;
}

/// <summary>A field whose only accepted value is fixed by the contract (<c>model</c>).</summary>
public sealed class ConstantField(string wireName, string value, int maxLength, string description)
    : RequestField<string>(wireName, FieldRole.Model, value, _ => value, (o, _) => o, description)
{
    public string Value { get; } = value;

    /// <summary>Anything longer is not a value worth echoing back in an error.</summary>
    public int MaxLength { get; } = maxLength;

    internal override void Write(Utf8JsonWriter writer, GenerationOptions options) => writer.WriteString(WireName, Value);

    internal override GenerationOptions Read(JsonElement value, GenerationOptions options) =>
        value.GetString() == Value ? options : throw new InvalidOperationException($"{WireName} is not {Value}");
}
