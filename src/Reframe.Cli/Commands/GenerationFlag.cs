using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json.Nodes;
using Reframe.Core.Requests;

namespace Reframe.Cli.Commands;

/// <summary>
/// One request field as a flag: the wire name with dashes (<c>num_frames</c> → <c>--num-frames</c>), the field's
/// default, range or choices and description, made from the field table (<see cref="RequestFields"/>) by its kind.
/// </summary>
public sealed class GenerationFlag
{
    private readonly Func<ParseResult, GenerationOptions, GenerationOptions> _apply;
    private readonly Func<ParseResult, JsonNode?> _json;

    private GenerationFlag(RequestField field, Option option, Func<ParseResult, GenerationOptions, GenerationOptions> apply, Func<ParseResult, JsonNode?> json)
    {
        Field = field;
        Option = option;
        _apply = apply;
        _json = json;
    }

    public RequestField Field { get; }

    public Option Option { get; }

    /// <summary><c>--</c> and the wire name with dashes.</summary>
    public static string NameOf(string wireName)
    {
        ArgumentNullException.ThrowIfNull(wireName);
        return "--" + wireName.Replace('_', '-');
    }

    /// <summary>The request with this flag's value (its default when not typed).</summary>
    public GenerationOptions Apply(ParseResult result, GenerationOptions options) => _apply(result, options);

    /// <summary>The value as JSON when the user typed the flag; null leaves the field to the server's default.</summary>
    public JsonNode? TypedJson(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetResult(Option) is { Implicit: false } ? _json(result) : null;
    }

    /// <param name="describe">The field's description as the CLI shows it (field names turned into flag names).</param>
    public static GenerationFlag For(RequestField field, Func<string, string> describe)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(describe);
        var name = NameOf(field.WireName);
        var description = describe(field.Description);
        switch (field)
        {
            case TextField text:
            {
                // No default on the flag: the help would print the whole default negative prompt.
                var option = new Option<string?>(name) { Description = description };
                return Of(text, option, v => v ?? text.Default, v => JsonValue.Create(v));
            }
            case UrlField url:
                return Of(url, new Option<string?>(name) { Description = description }, v => v, v => JsonValue.Create(v));
            case FlagField flag:
                return Of(flag, new Option<bool>(name) { Description = description, DefaultValueFactory = _ => flag.Default }, v => v, v => JsonValue.Create(v));
            case IntField number:
            {
                var option = new Option<int>(name) { Description = $"{description} [{number.Min}..{number.Max}]", DefaultValueFactory = _ => number.Default };
                option.Validators.Add(r => CheckRange(r, r.GetValueOrDefault<int>(), number.Min, number.Max));
                return Of(number, option, v => v, v => JsonValue.Create(v));
            }
            case NumberField number:
            {
                var option = new Option<double>(name)
                {
                    Description = string.Create(CultureInfo.InvariantCulture, $"{description} [{number.Min}..{number.Max}]"),
                    DefaultValueFactory = _ => number.Default,
                };
                option.Validators.Add(r => CheckRange(r, r.GetValueOrDefault<double>(), number.Min, number.Max));
                return Of(number, option, v => v, v => JsonValue.Create(v));
            }
            case IntegerField integer:
                return Of(integer, new Option<long?>(name) { Description = description }, v => v, v => JsonValue.Create(v));
            case ChoiceField choice:
            {
                var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => choice.Default };
                option.AcceptOnlyFromAmong([.. choice.Names]);
                return Of(choice, option, v => v ?? choice.Default, v => JsonValue.Create(v));
            }
            default:
                throw new InvalidOperationException($"No flag for the kind of {field.WireName} ({field.GetType().Name}).");
        }
    }

    private static GenerationFlag Of<TValue, TOption>(RequestField<TValue> field, Option<TOption> option, Func<TOption?, TValue> toValue,
        Func<TOption?, JsonNode?> toJson) =>
        new(field, option, (r, o) => field.With(o, toValue(r.GetValue(option))), r => toJson(r.GetValue(option)));

    private static void CheckRange<T>(OptionResult result, T value, T min, T max) where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            result.AddError($"{result.Option.Name} must be between {min} and {max}; got {value}.");
        }
    }
}
