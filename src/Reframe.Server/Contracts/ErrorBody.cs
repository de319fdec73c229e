using System.Text.Json.Serialization;

namespace Reframe.Server.Contracts;

/// <summary>The HTTP-level error body of the contract; <c>details</c> only on validation errors.</summary>
public sealed record ErrorBody(
    string Message,
    string Path,
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("statusCode")] int StatusCode,
    string Timestamp,
    IReadOnlyList<FieldErrorDetail>? Details = null);

/// <summary>One bad field: its name, what was expected and what was received (abridged).</summary>
public sealed record FieldErrorDetail(string Field, string Expected, string Received, string Message);
