using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Reframe.Wan.Tests.Checkpoints;

/// <summary>Writes small safetensors files byte by byte, so the reader is tested against the format itself.</summary>
internal static class SafetensorsWriter
{
    public sealed record Entry(string Name, string DType, long[] Shape, byte[] Data);

    public static void Write(string path, IEnumerable<Entry> entries, int headerPadding = 0)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        var data = new MemoryStream();
        foreach (var entry in entries)
        {
            long start = data.Length;
            data.Write(entry.Data);
            header[entry.Name] = new { dtype = entry.DType, shape = entry.Shape, data_offsets = new[] { start, data.Length } };
        }

        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header) + new string(' ', headerPadding));
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        file.Write(length);
        file.Write(json);
        data.Position = 0;
        data.CopyTo(file);
    }

    public static byte[] Bytes<T>(params T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
