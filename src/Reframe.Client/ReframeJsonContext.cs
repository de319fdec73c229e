using System.Text.Json.Serialization;

namespace Reframe.Client;

/// <summary>Source-generated serialization: no reflection, trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerationRequest))]
[JsonSerializable(typeof(Generation))]
[JsonSerializable(typeof(ApiErrorBody))]
public sealed partial class ReframeJsonContext : JsonSerializerContext;
