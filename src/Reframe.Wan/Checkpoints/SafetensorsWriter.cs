using System.Buffers.Binary;
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
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            // Written by hand (no reflection): the header is a fixed shape, and trimmed apps (bench/gpu) use this too.
            json.WriteStartObject();
            long offset = 0;
            foreach (var name in names)
            {
                long bytes = tensors[name].numel() * sizeof(float);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (long size in tensors[name].shape)
                {
                    json.WriteNumberValue(size);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        var headerBytes = header.ToArray();
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        stream.Write(length);
        stream.Write(headerBytes);
        foreach (var name in names)
        {
            using var data = tensors[name].to_type(ScalarType.Float32).contiguous().cpu();
            var values = data.data<float>().ToArray();
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }
}
