using System.Text.Json.Serialization;

namespace Reframe.Client;

// The wire spellings of the contract ("480p", "16:9", "dpm++") are carried by the attributes, so the
// source-generated serializer writes exactly what the hosted API expects.

[JsonConverter(typeof(JsonStringEnumConverter<ReframeResolution>))]
public enum ReframeResolution
{
    [JsonStringEnumMemberName("480p")] P480,
    [JsonStringEnumMemberName("580p")] P580,
    [JsonStringEnumMemberName("720p")] P720,
    [JsonStringEnumMemberName("auto")] Auto,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReframeAspectRatio>))]
public enum ReframeAspectRatio
{
    [JsonStringEnumMemberName("auto")] Auto,
    [JsonStringEnumMemberName("16:9")] Landscape16x9,
    [JsonStringEnumMemberName("1:1")] Square1x1,
    [JsonStringEnumMemberName("9:16")] Portrait9x16,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReframeSampler>))]
public enum ReframeSampler
{
    [JsonStringEnumMemberName("unipc")] UniPC,
    [JsonStringEnumMemberName("dpm++")] DpmPlusPlus,
    [JsonStringEnumMemberName("euler")] Euler,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReframeAcceleration>))]
public enum ReframeAcceleration
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("regular")] Regular,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReframeVideoQuality>))]
public enum ReframeVideoQuality
{
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("medium")] Medium,
    [JsonStringEnumMemberName("high")] High,
    [JsonStringEnumMemberName("maximum")] Maximum,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReframeVideoWriteMode>))]
public enum ReframeVideoWriteMode
{
    [JsonStringEnumMemberName("fast")] Fast,
    [JsonStringEnumMemberName("balanced")] Balanced,
    [JsonStringEnumMemberName("small")] Small,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReframeInterpolatorModel>))]
public enum ReframeInterpolatorModel
{
    [JsonStringEnumMemberName("rife")] Rife,
    [JsonStringEnumMemberName("film")] Film,
}
