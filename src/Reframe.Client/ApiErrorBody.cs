using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reframe.Client;

/// <summary>The HTTP-level error body of the contract: <c>{message, path, requestId, statusCode, timestamp, details}</c>.</summary>
public sealed record ApiErrorBody
{
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("path")] public string? Path { get; init; }
    [JsonPropertyName("requestId")] public string? RequestId { get; init; }
    [JsonPropertyName("statusCode")] public int? StatusCode { get; init; }
    [JsonPropertyName("timestamp")] public string? Timestamp { get; init; }
    /// <summary>For validation errors: one entry per bad field (its shape is the server's).</summary>
    [JsonPropertyName("details")] public JsonElement? Details { get; init; }
}
