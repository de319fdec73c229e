using System.Buffers.Binary;
using System.Text;

namespace Reframe.Wan.Tests.Checkpoints;

/// <summary>
/// Writes an uncompressed zip with ZIP64 records everywhere (sizes and offsets as 0xFFFFFFFF in the classic
/// fields), the layout torch.save produces for files above 4 GB such as the real 11 GB T5 checkpoint.
/// </summary>
internal static class StoredZipWriter
{
    public static void Write(string path, IEnumerable<(string Name, byte[] Data)> entries, bool zip64)
    {
        using var file = File.Create(path);
        var central = new MemoryStream();
        int count = 0;
        foreach (var (name, data) in entries)
        {
            long localOffset = file.Position;
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            uint crc = Crc32(data);
            byte[] extra = zip64 ? Zip64Extra(data.Length, data.Length, null) : [];
            var local = new byte[30];
            BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(4), 45);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(14), crc);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(18), zip64 ? uint.MaxValue : (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(22), zip64 ? uint.MaxValue : (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(26), (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(28), (ushort)extra.Length);
            file.Write(local);
            file.Write(nameBytes);
            file.Write(extra);
            file.Write(data);

            byte[] centralExtra = zip64 ? Zip64Extra(data.Length, data.Length, localOffset) : [];
            var header = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 45);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 45);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), zip64 ? uint.MaxValue : (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), zip64 ? uint.MaxValue : (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(30), (ushort)centralExtra.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(42), zip64 ? uint.MaxValue : (uint)localOffset);
            central.Write(header);
            central.Write(nameBytes);
            central.Write(centralExtra);
            count++;
        }

        long directoryOffset = file.Position;
        central.Position = 0;
        central.CopyTo(file);
        long directorySize = central.Length;

        if (zip64)
        {
            long zip64End = file.Position;
            var record = new byte[56];
            BinaryPrimitives.WriteUInt32LittleEndian(record, 0x06064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(4), 44);
            BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(24), (ulong)count);
            BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(32), (ulong)count);
            BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(40), (ulong)directorySize);
            BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(48), (ulong)directoryOffset);
            file.Write(record);
            var locator = new byte[20];
            BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(locator.AsSpan(8), (ulong)zip64End);
            BinaryPrimitives.WriteUInt32LittleEndian(locator.AsSpan(16), 1);
            file.Write(locator);
        }

        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), zip64 ? ushort.MaxValue : (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), zip64 ? ushort.MaxValue : (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), zip64 ? uint.MaxValue : (uint)directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), zip64 ? uint.MaxValue : (uint)directoryOffset);
        file.Write(end);
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static byte[] Zip64Extra(long uncompressed, long compressed, long? localOffset)
    {
        int size = 16 + (localOffset is null ? 0 : 8);
        var extra = new byte[4 + size];
        BinaryPrimitives.WriteUInt16LittleEndian(extra, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(extra.AsSpan(2), (ushort)size);
        BinaryPrimitives.WriteUInt64LittleEndian(extra.AsSpan(4), (ulong)uncompressed);
        BinaryPrimitives.WriteUInt64LittleEndian(extra.AsSpan(12), (ulong)compressed);
        if (localOffset is { } offset)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(extra.AsSpan(20), (ulong)offset);
        }

        return extra;
    }
}
