using System.Text.Json;

namespace Reframe.Wan.Text;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> holding a Unigram model (what transformers' T5 converter writes)
/// into the same <see cref="SentencePieceModel"/> the <c>.model</c> reader produces: <c>model.vocab</c>
/// (<c>[piece, score]</c> pairs, id = index), <c>model.unk_id</c>, <c>model.byte_fallback</c>, and the
/// <c>Precompiled</c> normaliser's charsmap (base64), possibly inside a <c>Sequence</c>. Special added tokens
/// become control pieces, <c>&lt;0xNN&gt;</c> entries byte pieces; whitespace handling is SentencePiece's
/// (strip, collapse, <c>▁</c> prefix), which the converter's Replace/Strip/Metaspace steps reproduce.
/// </summary>
public static class TokenizerJsonReader
{
    public static (SentencePieceModel Model, bool ByteFallback) Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: no 'model' object.");
        }
        string type = model.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        if (type != "Unigram")
        {
            throw new NotSupportedException($"{path}: model type '{type}' is not Unigram.");
        }
        int unkId = model.TryGetProperty("unk_id", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetInt32() : -1;
        bool byteFallback = model.TryGetProperty("byte_fallback", out var b) && b.ValueKind == JsonValueKind.True;

        var special = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                if (token.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True)
                {
                    special.Add(token.GetProperty("content").GetString()!);
                }
            }
        }

        var pieces = new List<SentencePiece>();
        foreach (var entry in model.GetProperty("vocab").EnumerateArray())
        {
            string piece = entry[0].GetString()!;
            float score = (float)entry[1].GetDouble();
            int id = pieces.Count;
            var pieceType = id == unkId ? SentencePieceType.Unknown
                : special.Contains(piece) ? SentencePieceType.Control
                : IsBytePiece(piece) ? SentencePieceType.Byte
                : SentencePieceType.Normal;
            pieces.Add(new SentencePiece(piece, score, pieceType));
        }

        int IdOf(string piece) => pieces.FindIndex(p => p.Piece == piece);
        var charsMap = FindPrecompiledCharsMap(root.TryGetProperty("normalizer", out var n) ? n : default);
        var normalizer = new SentencePieceNormalizerSpec(charsMap.Length > 0 ? "precompiled" : "identity", charsMap);
        var result = new SentencePieceModel(pieces, SentencePieceModel.UnigramModelType, byteFallback,
            TreatWhitespaceAsSuffix: false, unkId, BosId: -1, EosId: IdOf("</s>"), PadId: IdOf("<pad>"), normalizer);
        return (result, byteFallback);
    }

    private static byte[] FindPrecompiledCharsMap(JsonElement normalizer)
    {
        if (normalizer.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        if (normalizer.TryGetProperty("type", out var type) && type.GetString() == "Precompiled"
            && normalizer.TryGetProperty("precompiled_charsmap", out var map) && map.ValueKind == JsonValueKind.String)
        {
            return Convert.FromBase64String(map.GetString()!);
        }
        if (normalizer.TryGetProperty("normalizers", out var inner) && inner.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in inner.EnumerateArray())
            {
                var found = FindPrecompiledCharsMap(child);
                if (found.Length > 0)
                {
                    return found;
                }
            }
        }
        return [];
    }

    private static bool IsBytePiece(string piece) =>
        piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
        && Uri.IsHexDigit(piece[3]) && Uri.IsHexDigit(piece[4]);
}
