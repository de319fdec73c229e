using System.Buffers.Binary;
using System.Buffers.Text;

namespace Reframe.Server.Tasks;

/// <summary>
/// The history's cursor: opaque to clients (base64url), so the store's position can change form without breaking them.
/// It only says where the previous page stopped; the owner filter is applied on every page, so a cursor taken from one
/// key's history shows nothing of another key's tasks.
/// </summary>
public static class HistoryCursor
{
    private const byte Version = 1;

    public static string Encode(long position)
    {
        Span<byte> bytes = stackalloc byte[9];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], position);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string value, out long position)
    {
        position = 0;
        Span<byte> bytes = stackalloc byte[9];
        if (value.Length != 12 || !Base64Url.TryDecodeFromChars(value, bytes, out var written) || written != 9 || bytes[0] != Version)
        {
            return false;
        }
        position = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        return position > 0;
    }
}
