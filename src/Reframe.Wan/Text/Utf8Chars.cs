using System.Buffers;
using System.Text;

namespace Reframe.Wan.Text;

internal static class Utf8Chars
{
    /// <summary>Byte length of the well-formed UTF-8 character starting <paramref name="input"/>, or 0 if malformed.</summary>
    public static int ValidCharLength(ReadOnlySpan<byte> input) =>
        Rune.DecodeFromUtf8(input, out _, out int consumed) == OperationStatus.Done ? consumed : 0;
}
