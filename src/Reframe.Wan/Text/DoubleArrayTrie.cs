using System.Buffers.Binary;

namespace Reframe.Wan.Text;

/// <summary>
/// Read-only darts-clone double-array trie, the structure SentencePiece stores inside a precompiled
/// charsmap. Each 32-bit unit packs a label byte, a leaf flag and the XOR offset to its children; a leaf's
/// child unit holds the value. Only <c>commonPrefixSearch</c> is needed (the normaliser's lookup).
/// </summary>
internal sealed class DoubleArrayTrie
{
    private readonly uint[] _units;

    public DoubleArrayTrie(ReadOnlySpan<byte> blob)
    {
        if (blob.Length % 4 != 0)
        {
            throw new InvalidDataException("Double-array trie blob size is not a multiple of 4.");
        }
        _units = new uint[blob.Length / 4];
        for (int i = 0; i < _units.Length; i++)
        {
            _units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(i * 4, 4));
        }
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;
    private static int Value(uint unit) => (int)(unit & 0x7FFF_FFFFu);
    private static uint Label(uint unit) => unit & (0x8000_0000u | 0xFFu);
    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);

    /// <summary>
    /// Finds the keys that are prefixes of <paramref name="key"/> and returns the longest one's value and
    /// byte length, or (0, 0) when none matches. Like SentencePiece's normaliser, only the first
    /// <paramref name="maxResults"/> matches (shortest first) take part in the choice.
    /// </summary>
    public (int Value, int Length) LongestPrefix(ReadOnlySpan<byte> key, int maxResults = 32)
    {
        if (_units.Length == 0)
        {
            return (0, 0);
        }
        int bestValue = 0, bestLength = 0, found = 0;
        uint nodePos = Offset(_units[0]);
        for (int i = 0; i < key.Length; i++)
        {
            nodePos ^= key[i];
            if (nodePos >= (uint)_units.Length)
            {
                break;
            }
            uint unit = _units[nodePos];
            if (Label(unit) != key[i])
            {
                break;
            }
            nodePos ^= Offset(unit);
            if (HasLeaf(unit))
            {
                if (found < maxResults && nodePos < (uint)_units.Length)
                {
                    bestValue = Value(_units[nodePos]);
                    bestLength = i + 1;
                }
                found++;
            }
        }
        return (bestValue, bestLength);
    }
}
