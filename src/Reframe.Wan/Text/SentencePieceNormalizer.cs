using System.Text;

namespace Reframe.Wan.Text;

/// <summary>
/// SentencePiece's <c>Normalizer::Normalize</c>: the precompiled charsmap rules (e.g. <c>nmt_nfkc</c>) applied
/// longest-match-first over the UTF-8 bytes, then whitespace handling: leading whitespace dropped, runs of
/// spaces collapsed, trailing whitespace dropped, spaces escaped to U+2581 and one U+2581 prefixed.
/// Whitespace is judged on the normalised text, so NBSP, ideographic spaces, tabs and newlines (which the
/// map turns into spaces) collapse too.
/// </summary>
public sealed class SentencePieceNormalizer
{
    /// <summary>U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible space.</summary>
    public const char SpaceSymbol = '\u2581';

    private static readonly byte[] SpaceSymbolUtf8 = Encoding.UTF8.GetBytes(SpaceSymbol.ToString());

    private readonly PrecompiledCharsMap _charsMap;
    private readonly SentencePieceNormalizerSpec _spec;
    private readonly bool _treatWhitespaceAsSuffix;
    private readonly byte[][] _userDefinedSymbols;

    /// <param name="spec">the model's normaliser spec</param>
    /// <param name="treatWhitespaceAsSuffix">the trainer flag: the dummy <c>▁</c> goes at the end instead</param>
    /// <param name="userDefinedSymbols">user-defined pieces: matched before the charsmap and left unnormalised</param>
    public SentencePieceNormalizer(SentencePieceNormalizerSpec spec, bool treatWhitespaceAsSuffix = false,
        IEnumerable<string>? userDefinedSymbols = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _treatWhitespaceAsSuffix = treatWhitespaceAsSuffix;
        _charsMap = new PrecompiledCharsMap(spec.PrecompiledCharsMap);
        _userDefinedSymbols = (userDefinedSymbols ?? []).Where(s => s.Length > 0)
            .Select(Encoding.UTF8.GetBytes).ToArray();
    }

    /// <summary><c>NormalizePrefix</c>: the longest user-defined symbol if one starts the input, else the charsmap.</summary>
    private (ReadOnlyMemory<byte> Replacement, int Consumed, bool FromInput) NormalizePrefix(ReadOnlySpan<byte> input)
    {
        int longest = 0;
        foreach (var symbol in _userDefinedSymbols)
        {
            if (symbol.Length > longest && input.StartsWith(symbol))
            {
                longest = symbol.Length;
            }
        }
        return longest > 0 ? (ReadOnlyMemory<byte>.Empty, longest, true) : _charsMap.NormalizePrefix(input);
    }

    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Lone surrogates become U+FFFD here, as Python would refuse them and SentencePiece replaces them.
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(text, rented);
            return Normalize(rented.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private string Normalize(ReadOnlySpan<byte> input)
    {
        using var output = new PooledBytes(input.Length + 8);

        // 1. Leading whitespace (after normalisation) is dropped.
        if (_spec.RemoveExtraWhitespaces)
        {
            while (!input.IsEmpty)
            {
                var (replacement, consumed, fromInput) = NormalizePrefix(input);
                var piece = fromInput ? input[..consumed] : replacement.Span;
                if (!(piece.Length == 1 && piece[0] == (byte)' '))
                {
                    break;
                }
                input = input[consumed..];
            }
        }
        if (input.IsEmpty)
        {
            return "";
        }

        ReadOnlySpan<byte> space = _spec.EscapeWhitespaces ? SpaceSymbolUtf8 : " "u8;
        if (_spec.AddDummyPrefix && !_treatWhitespaceAsSuffix)
        {
            output.Add(space);
        }

        // 2. Rule by rule; a replacement's leading spaces are dropped after a space (collapsing runs).
        bool previousIsSpace = _spec.RemoveExtraWhitespaces;
        while (!input.IsEmpty)
        {
            var (replacement, consumed, fromInput) = NormalizePrefix(input);
            var piece = fromInput ? input[..consumed] : replacement.Span;
            while (previousIsSpace && !piece.IsEmpty && piece[0] == (byte)' ')
            {
                piece = piece[1..];
            }
            if (!piece.IsEmpty)
            {
                foreach (byte b in piece)
                {
                    if (_spec.EscapeWhitespaces && b == (byte)' ')
                    {
                        output.Add(space);
                    }
                    else
                    {
                        output.Add(b);
                    }
                }
                previousIsSpace = piece[^1] == (byte)' ';
            }
            input = input[consumed..];
            previousIsSpace = previousIsSpace && _spec.RemoveExtraWhitespaces;
        }

        // 3. Trailing whitespace is dropped.
        if (_spec.RemoveExtraWhitespaces)
        {
            while (output.EndsWith(space))
            {
                output.RemoveLast(space.Length);
            }
        }
        if (_spec.AddDummyPrefix && _treatWhitespaceAsSuffix)
        {
            output.Add(space);
        }
        return Encoding.UTF8.GetString(output.Span);
    }
}
