using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>The safetensors dtype names (as written in the header) and their TorchSharp scalar types.</summary>
public static class SafetensorsDTypes
{
    private static readonly Dictionary<string, ScalarType> ByName = new(StringComparer.Ordinal)
    {
        ["F64"] = ScalarType.Float64,
        ["F32"] = ScalarType.Float32,
        ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64,
        ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16,
        ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte,
        ["BOOL"] = ScalarType.Bool,
    };

    public static bool TryParse(string name, out ScalarType type) => ByName.TryGetValue(name, out type);

    public static string NameOf(ScalarType type) =>
        ByName.FirstOrDefault(kv => kv.Value == type).Key
        ?? throw new NotSupportedException($"dtype {type} has no safetensors name here");

    /// <summary>Bytes per element of the supported scalar types.</summary>
    public static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"dtype {type} is not supported by the checkpoint readers"),
    };
}
