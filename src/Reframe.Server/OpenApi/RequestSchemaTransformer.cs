using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Reframe.Core.Requests;
using Reframe.Server.Contracts;

namespace Reframe.Server.OpenApi;

/// <summary>
/// Writes the request body's schema from the field table (<see cref="RequestFields"/>): every field with its type, default,
/// range or choices and description, so the document cannot list a field, a default or a bound the validator does not have.
/// </summary>
public sealed class RequestSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonTypeInfo.Type != typeof(GenerationRequest))
        {
            return Task.CompletedTask;
        }
        schema.Type = JsonSchemaType.Object;
        schema.Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var field in RequestFields.All)
        {
            schema.Properties[field.WireName] = SchemaOf(field);
        }
        schema.Required = new HashSet<string>(RequestFields.All.Where(f => f.Required).Select(f => f.WireName), StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    /// <summary>One field's schema, by its kind.</summary>
    public static OpenApiSchema SchemaOf(RequestField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var schema = new OpenApiSchema { Description = field.Description };
        switch (field)
        {
            case ConstantField constant:
                schema.Type = JsonSchemaType.String;
                schema.Enum = [JsonValue.Create(constant.Value)];
                break;
            case UrlField:
                schema.Type = JsonSchemaType.String;
                break;
            case TextField text:
                schema.Type = JsonSchemaType.String;
                schema.MaxLength = text.MaxLength;
                break;
            case FlagField:
                schema.Type = JsonSchemaType.Boolean;
                break;
            case IntField number:
                schema.Type = JsonSchemaType.Integer;
                schema.Format = "int32";
                schema.Minimum = Invariant(number.Min);
                schema.Maximum = Invariant(number.Max);
                break;
            case NumberField number:
                schema.Type = JsonSchemaType.Number;
                schema.Format = "double";
                schema.Minimum = Invariant(number.Min);
                schema.Maximum = Invariant(number.Max);
                break;
            case IntegerField:
                schema.Type = JsonSchemaType.Integer;
                schema.Format = "int64";
                break;
            case ChoiceField choice:
                schema.Type = JsonSchemaType.String;
                schema.Enum = [.. choice.Names.Select(n => (JsonNode)JsonValue.Create(n))];
                break;
            default:
                throw new InvalidOperationException($"No schema for the kind of {field.WireName} ({field.GetType().Name}).");
        }
        // A required field has no default: the client must send it.
        if (!field.Required && field.DefaultJson is { } value)
        {
            schema.Default = Json(value);
        }
        return schema;
    }

    // Typed, so the document is written without reflection over object.
    private static JsonNode Json(object value) => value switch
    {
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string text => JsonValue.Create(text),
        _ => throw new InvalidOperationException($"No JSON form for a default of type {value.GetType().Name}."),
    };

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
