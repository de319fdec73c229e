using System.Buffers.Binary;
using System.Text;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// The central directory of a zip archive whose entries are stored uncompressed, as <c>torch.save</c> writes
/// them (ZIP64 included: the real T5 file is 11 GB). It gives the absolute offset of every entry's data inside
/// the file, so storages can be copied straight from the memory map instead of through a decompressing stream.
/// </summary>
internal static class StoredZipDirectory
{
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const uint Zip64EndLocator = 0x07064b50;
    private const uint Zip64End = 0x06064b50;
    private const uint CentralHeader = 0x02014b50;
    private const uint LocalHeader = 0x04034b50;

    internal sealed record Entry(string Name, long DataOffset, long Length);

    public static Dictionary<string, Entry> Read(MappedFile file)
    {
        long eocd = FindEndOfCentralDirectory(file);
        var end = file.Span(eocd, 22);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
        long directorySize = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
        long directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);

        if (eocd >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(file.Span(eocd - 20, 4)) == Zip64EndLocator)
        {
            long zip64End = (long)BinaryPrimitives.ReadUInt64LittleEndian(file.Span(eocd - 20 + 8, 8));
            var record = file.Span(zip64End, 56);
            Require(BinaryPrimitives.ReadUInt32LittleEndian(record) == Zip64End, file, "bad ZIP64 end record");
            count = (long)BinaryPrimitives.ReadUInt64LittleEndian(record[32..]);
            directorySize = (long)BinaryPrimitives.ReadUInt64LittleEndian(record[40..]);
            directoryOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(record[48..]);
        }

        Require(directoryOffset >= 0 && directorySize >= 0 && directoryOffset <= file.Length - directorySize, file,
            "central directory outside the file");

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        long position = directoryOffset;
        for (long i = 0; i < count; i++)
        {
            var header = file.Span(position, 46);
            Require(BinaryPrimitives.ReadUInt32LittleEndian(header) == CentralHeader, file, "bad central directory entry");
            int method = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[42..]);
            string name = Encoding.UTF8.GetString(file.Span(position + 46, nameLength));
            ReadZip64Extra(file.Span(position + 46 + nameLength, extraLength),
                ref uncompressed, ref compressed, ref localOffset);

            Require(method == 0, file, $"entry '{name}' is compressed (method {method}); torch.save stores entries");
            Require(compressed == uncompressed, file, $"entry '{name}' has inconsistent sizes");
            entries[name] = new Entry(name, LocalDataOffset(file, localOffset, name), uncompressed);
            position += 46 + nameLength + extraLength + commentLength;
        }

        return entries;
    }

    private static long LocalDataOffset(MappedFile file, long localOffset, string name)
    {
        var local = file.Span(localOffset, 30);
        Require(BinaryPrimitives.ReadUInt32LittleEndian(local) == LocalHeader, file, $"bad local header for '{name}'");
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(local[26..]);
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(local[28..]);
        return localOffset + 30 + nameLength + extraLength;
    }

    // ZIP64 extended information (id 0x0001): only the fields whose 32-bit value is 0xFFFFFFFF are present,
    // in the order uncompressed size, compressed size, local header offset.
    private static void ReadZip64Extra(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed,
        ref long localOffset)
    {
        while (extra.Length >= 4)
        {
            int id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            var data = extra.Slice(4, Math.Min(size, extra.Length - 4));
            if (id == 1)
            {
                int at = 0;
                if (uncompressed == uint.MaxValue && at + 8 <= data.Length)
                {
                    uncompressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
                    at += 8;
                }

                if (compressed == uint.MaxValue && at + 8 <= data.Length)
                {
                    compressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
                    at += 8;
                }

                if (localOffset == uint.MaxValue && at + 8 <= data.Length)
                {
                    localOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
                }
            }

            extra = extra[Math.Min(extra.Length, 4 + size)..];
        }
    }

    private static long FindEndOfCentralDirectory(MappedFile file)
    {
        // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
        long lowest = Math.Max(0, file.Length - 22 - 65535);
        for (long at = file.Length - 22; at >= lowest; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.Span(at, 4)) == EndOfCentralDirectory)
            {
                return at;
            }
        }

        throw new InvalidDataException($"{file.Path}: not a zip archive (no end of central directory)");
    }

    private static void Require(bool condition, MappedFile file, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException($"{file.Path}: {message}");
        }
    }
}
