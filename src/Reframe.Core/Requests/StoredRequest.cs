using System.Text;
using System.Text.Json;

namespace Reframe.Core.Requests;

/// <summary>
/// The form a task's request is stored in: the contract's own JSON with every field written out (defaults applied, wire
/// names for choices), made and read by walking <see cref="RequestFields.All"/>. Reading is strict about types but does not
/// re-validate: the API validated the request before storing it, and a stored task must keep meaning what the client was
/// answered even if a range is changed later. A field missing from an older row takes its default.
/// </summary>
public static class StoredRequest
{
    public static string Write(GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var field in RequestFields.All)
            {
                field.Write(writer, options);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a stored request back; one that does not read is a server fault, never the client's.</summary>
    public static GenerationOptions Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var options = new GenerationOptions { VideoUrl = "" };
        foreach (var field in RequestFields.All)
        {
            if (!document.RootElement.TryGetProperty(field.WireName, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required)
                {
                    throw new InvalidOperationException($"A stored request has no {field.WireName}.");
                }
                continue;
            }
            try
            {
                options = field.Read(value, options);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
            {
                throw new InvalidOperationException($"A stored request's {field.WireName} does not read: {e.Message}", e);
            }
        }
        return options;
    }
}
