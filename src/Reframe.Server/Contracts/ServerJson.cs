using System.Text.Json.Serialization;

namespace Reframe.Server.Contracts;

/// <summary>Source-generated JSON for every contract type; names pinned to the contract's snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerationResponse))]
[JsonSerializable(typeof(GenerationHistoryPage))]
[JsonSerializable(typeof(GenerationRequest))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(LiveReport))]
public sealed partial class ServerJson : JsonSerializerContext;
