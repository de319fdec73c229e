using System.Text.Json;

namespace Reframe.Core.Requests;

/// <summary>Who a field is for, so a consumer can pick the fields it exposes without a list of names of its own.</summary>
public enum FieldRole
{
    /// <summary><c>model</c>: fixed by the contract.</summary>
    Model,

    /// <summary>The clip and the anchor images: URLs or data: URIs (the CLI takes files or URLs for them).</summary>
    Input,

    /// <summary>What the generation does: every one of these is a flag of <c>reframe run</c> and <c>reframe submit</c>.</summary>
    Setting,

    /// <summary>How a server hands the result back (<c>sync_mode</c>, <c>webhook_url</c>): only a server has these.</summary>
    Delivery,
}

/// <summary>
/// One field of the request body (../shared/spec/API.md): its wire name, description and role. The kinds below
/// (<see cref="FieldKinds"/>) add the type, default and range or choices; <see cref="RequestFields.All"/> is the table.
/// </summary>
public abstract class RequestField
{
    private protected RequestField(string wireName, FieldRole role, string description)
    {
        WireName = wireName;
        Role = role;
        Description = description;
    }

    public string WireName { get; }

    public FieldRole Role { get; }

    public string Description { get; }

    /// <summary>A client must send it (otherwise it takes its default).</summary>
    public bool Required { get; init; }

    /// <summary>The default as its JSON value (null: none, the field is left out).</summary>
    public abstract object? DefaultJson { get; }

    /// <summary>The field's value in a request, as its JSON value (wire names for choices; null when absent).</summary>
    public abstract object? JsonValueOf(GenerationOptions options);

    /// <summary>Writes the field into the stored form (<see cref="StoredRequest"/>); an absent value is left out.</summary>
    internal abstract void Write(Utf8JsonWriter writer, GenerationOptions options);

    /// <summary>Reads the field's stored value (already validated when it was stored) into the request.</summary>
    internal abstract GenerationOptions Read(JsonElement value, GenerationOptions options);
}

/// <summary>A field whose value on <see cref="GenerationOptions"/> is a <typeparamref name="T"/>: its default and accessor.</summary>
public abstract class RequestField<T> : RequestField
{
    private readonly Func<GenerationOptions, T> _get;
    private readonly Func<GenerationOptions, T, GenerationOptions> _with;

    private protected RequestField(string wireName, FieldRole role, T defaultValue, Func<GenerationOptions, T> get,
        Func<GenerationOptions, T, GenerationOptions> with, string description)
        : base(wireName, role, description)
    {
        Default = defaultValue;
        _get = get;
        _with = with;
    }

    public T Default { get; }

    public T Get(GenerationOptions options) => _get(options);

    public GenerationOptions With(GenerationOptions options, T value) => _with(options, value);

    public override object? DefaultJson => Default;

    public override object? JsonValueOf(GenerationOptions options) => Get(options);
}
