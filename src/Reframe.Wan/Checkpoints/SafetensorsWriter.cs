using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// Writes tensors as one float32 safetensors file: an 8-byte little-endian header length, the JSON header (names in
/// ordinal order, shapes, byte ranges), then the raw data. Used to assemble small model folders (the tiny model).
/// </summary>
public static class SafetensorsWriter
{
    public static void WriteFloat32(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        long offset = 0;
        foreach (var name in names)
        {
            long bytes = tensors[name].numel() * sizeof(float);
            header[name] = new { dtype = "F32", shape = tensors[name].shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        foreach (var name in names)
        {
            using var data = tensors[name].to_type(ScalarType.Float32).contiguous().cpu();
            var values = data.data<float>().ToArray();
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }
}
