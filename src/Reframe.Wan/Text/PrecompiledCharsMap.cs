using System.Buffers.Binary;

namespace Reframe.Wan.Text;

/// <summary>
/// SentencePiece's precompiled normalisation map (<c>NormalizerSpec.precompiled_charsmap</c>, e.g.
/// <c>nmt_nfkc</c>): a little-endian uint32 trie size, a double-array trie over UTF-8 byte sequences whose
/// values are offsets into the replacement blob that follows, and that blob of NUL-terminated UTF-8 strings.
/// </summary>
internal sealed class PrecompiledCharsMap
{
    private static readonly byte[] ReplacementCharacter = [0xEF, 0xBF, 0xBD];

    private readonly DoubleArrayTrie? _trie;
    private readonly byte[] _replacements;

    public PrecompiledCharsMap(ReadOnlySpan<byte> blob)
    {
        if (blob.IsEmpty)
        {
            // Identity normaliser: no rules.
            _replacements = [];
            return;
        }
        if (blob.Length < 4)
        {
            throw new InvalidDataException("Precompiled charsmap is shorter than its header.");
        }
        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieSize > (uint)(blob.Length - 4))
        {
            throw new InvalidDataException("Precompiled charsmap trie size exceeds the blob.");
        }
        _trie = new DoubleArrayTrie(blob.Slice(4, (int)trieSize));
        _replacements = blob[(4 + (int)trieSize)..].ToArray();
    }

    /// <summary>
    /// SentencePiece's <c>Normalizer::NormalizePrefix</c> without user-defined symbols: the replacement for
    /// the longest rule matching the start of <paramref name="input"/> and how many bytes it consumes; with no
    /// rule, the first UTF-8 character unchanged; a malformed byte becomes U+FFFD and consumes one byte.
    /// </summary>
    public (ReadOnlyMemory<byte> Replacement, int Consumed, bool FromInput) NormalizePrefix(ReadOnlySpan<byte> input)
    {
        if (_trie is not null)
        {
            var (value, length) = _trie.LongestPrefix(input);
            if (length > 0)
            {
                if ((uint)value >= (uint)_replacements.Length)
                {
                    throw new InvalidDataException("Precompiled charsmap points outside its replacement blob.");
                }
                int end = Array.IndexOf(_replacements, (byte)0, value);
                if (end < 0)
                {
                    end = _replacements.Length;
                }
                return (_replacements.AsMemory(value, end - value), length, false);
            }
        }
        int charLength = Utf8Chars.ValidCharLength(input);
        return charLength == 0
            ? (ReplacementCharacter, 1, false)
            : (ReadOnlyMemory<byte>.Empty, charLength, true);
    }
}
