using System.Buffers.Binary;
using System.Text;

namespace Reframe.TestSupport;

/// <summary>
/// Byte-level edits of an ISO-BMFF (mp4) file by box type. Locates the first box of a type by its four-character
/// code inside the <c>moov</c> box (files are written with <c>+faststart</c>, so moov precedes the picture data and a
/// search cannot hit sample bytes). Offsets follow ISO/IEC 14496-12 version-0 box layouts.
/// </summary>
internal static class Mp4Patch
{
    /// <summary>Index of the first byte of the four-character code <paramref name="type"/> inside moov.</summary>
    public static int Find(byte[] file, string type)
    {
        var moov = IndexOf(file, "moov", 0);
        var moovSize = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(moov - 4));
        var index = IndexOf(file, type, moov);
        if (index < 0 || index > moov - 4 + moovSize)
        {
            throw new InvalidDataException($"No '{type}' box inside moov.");
        }
        return index;
    }

    public static void WriteUInt32(byte[] file, int offset, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(offset), value);

    public static void WriteUInt16(byte[] file, int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(offset), value);

    /// <summary>The [start, end) range of the moov box's content.</summary>
    public static (int Start, int End) MoovRange(byte[] file)
    {
        var moov = IndexOf(file, "moov", 0);
        var size = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(moov - 4));
        return (moov + 4, moov - 4 + size);
    }

    public static int IndexOf(byte[] file, string type, int from)
    {
        var needle = Encoding.ASCII.GetBytes(type);
        var found = file.AsSpan(from).IndexOf(needle);
        return found < 0 ? -1 : from + found;
    }

    /// <summary>A box: 32-bit size, type, payload.</summary>
    public static byte[] Box(string type, params byte[][] payload)
    {
        var length = 8 + payload.Sum(part => part.Length);
        var box = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        var at = 8;
        foreach (var part in payload)
        {
            part.CopyTo(box, at);
            at += part.Length;
        }
        return box;
    }
}
