using System.Text.Json;

namespace Reframe.Wan.Text;

/// <summary>
/// The umT5 tokenizer as the Wan2.2-VACE-Fun pipeline calls it:
/// <c>tokenizer(prompt, padding='max_length', max_length=L, truncation=True, add_special_tokens=True)</c>.
/// The raw prompt is used (VideoX-Fun does no text cleaning), normalised with the model's precompiled charsmap,
/// segmented by unigram Viterbi, truncated to its first <c>L-1</c> pieces, then <c>&lt;/s&gt;</c> is appended
/// and the row is right-padded with <c>&lt;pad&gt;</c>.
/// </summary>
/// <remarks>
/// Unknown characters: the reference is Hugging Face's fast tokenizer, whose unigram model is built without
/// byte fallback and fuses runs of unknowns, so a run of unknown characters becomes ONE <c>&lt;unk&gt;</c>.
/// With <c>byteFallback</c> on (a <c>tokenizer.json</c> saying <c>"byte_fallback": true</c>) each unknown
/// character becomes the ids of its UTF-8 bytes (<c>&lt;0xNN&gt;</c> pieces) instead, as SentencePiece does.
/// The byte-fallback flag inside <c>spiece.model</c> is deliberately ignored: the fast tokenizer ignores it.
/// </remarks>
public sealed class UmT5Tokenizer
{
    public const string SentencePieceFileName = "spiece.model";
    public const string TokenizerJsonFileName = "tokenizer.json";

    private readonly SentencePieceNormalizer _normalizer;
    private readonly UnigramSegmenter _segmenter;
    private readonly int[] _byteIds;

    public UmT5Tokenizer(SentencePieceModel model, bool byteFallback = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        ByteFallback = byteFallback;
        _normalizer = new SentencePieceNormalizer(model.Normalizer, model.TreatWhitespaceAsSuffix,
            model.Pieces.Where(p => p.Type == SentencePieceType.UserDefined).Select(p => p.Piece));
        _segmenter = new UnigramSegmenter(model);
        EosId = RequireId(model.EosId, "eos");
        PadId = RequireId(model.PadId, "pad");
        _byteIds = new int[256];
        Array.Fill(_byteIds, -1);
        for (int id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            if (piece.Type == SentencePieceType.Byte && TryParseBytePiece(piece.Piece, out byte value))
            {
                _byteIds[value] = id;
            }
        }
    }

    public SentencePieceModel Model { get; }

    public bool ByteFallback { get; }

    public int EosId { get; }

    public int PadId { get; }

    public int UnkId => Model.UnkId;

    /// <summary>
    /// Loads the tokenizer from a Hugging Face tokenizer folder (the real model's <c>google/umt5-xxl/</c>).
    /// With <c>spiece.model</c>: pieces, scores and normaliser from it, and the byte-fallback flag from
    /// <c>tokenizer.json</c>'s <c>model.byte_fallback</c> when that file exists (absent means off). With only a
    /// <c>tokenizer.json</c>: everything from it (<see cref="TokenizerJsonReader"/>).
    /// </summary>
    public static UmT5Tokenizer FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string modelPath = Path.Combine(folder, SentencePieceFileName);
        string jsonPath = Path.Combine(folder, TokenizerJsonFileName);
        if (File.Exists(modelPath))
        {
            bool byteFallback = File.Exists(jsonPath) && ReadByteFallbackFlag(jsonPath);
            return new UmT5Tokenizer(SentencePieceModel.Load(modelPath), byteFallback);
        }
        if (File.Exists(jsonPath))
        {
            var (model, fromJson) = TokenizerJsonReader.Load(jsonPath);
            return new UmT5Tokenizer(model, fromJson);
        }
        throw new FileNotFoundException(
            $"Tokenizer folder '{folder}' has neither {SentencePieceFileName} nor {TokenizerJsonFileName}.", modelPath);
    }

    /// <summary>The normalised text SentencePiece segments (with <c>▁</c> for spaces).</summary>
    public string Normalize(string text) => _normalizer.Normalize(text);

    /// <summary>The ids of the text's pieces, without <c>&lt;/s&gt;</c> and without truncation.</summary>
    public List<int> EncodePieces(string text)
    {
        string normalized = _normalizer.Normalize(text);
        var ids = new List<int>(normalized.Length);
        var segments = _segmenter.Segment(normalized);
        for (int i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment.Id != UnkId)
            {
                ids.Add(segment.Id);
                continue;
            }
            // A run of consecutive unknown characters is handled as one (HF's fuse_unk).
            int runStart = segment.Start, runEnd = segment.Start + segment.Length;
            while (i + 1 < segments.Count && segments[i + 1].Id == UnkId)
            {
                i++;
                runEnd = segments[i].Start + segments[i].Length;
            }
            if (ByteFallback)
            {
                AddByteIds(normalized.AsSpan(runStart, runEnd - runStart), ids);
            }
            else
            {
                ids.Add(UnkId);
            }
        }
        return ids;
    }

    /// <summary>One prompt's ids as the pipeline gets them, unpadded: first <c>maxLength-1</c> pieces, then eos.</summary>
    public int[] Encode(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var pieces = EncodePieces(text);
        int kept = Math.Min(pieces.Count, maxLength - 1);
        var ids = new int[kept + 1];
        pieces.CopyTo(0, ids, 0, kept);
        ids[kept] = EosId;
        return ids;
    }

    /// <summary>The batch call: ids right-padded with <c>&lt;pad&gt;</c> to <paramref name="maxLength"/>, mask 1 on real tokens.</summary>
    public TokenizedBatch EncodeBatch(IReadOnlyList<string> texts, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var inputIds = new long[texts.Count * maxLength];
        var mask = new long[texts.Count * maxLength];
        var lengths = new int[texts.Count];
        Array.Fill(inputIds, PadId);
        for (int row = 0; row < texts.Count; row++)
        {
            var ids = Encode(texts[row], maxLength);
            lengths[row] = ids.Length;
            for (int j = 0; j < ids.Length; j++)
            {
                inputIds[row * maxLength + j] = ids[j];
                mask[row * maxLength + j] = 1;
            }
        }
        return new TokenizedBatch(inputIds, mask, lengths, maxLength);
    }

    private void AddByteIds(ReadOnlySpan<char> text, List<int> ids)
    {
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            int count = rune.EncodeToUtf8(buffer);
            for (int b = 0; b < count; b++)
            {
                int id = _byteIds[buffer[b]];
                // A byte with no piece stays unknown (what SentencePiece and HF both do).
                ids.Add(id >= 0 ? id : UnkId);
            }
        }
    }

    private int RequireId(int id, string name)
    {
        if (id < 0 || id >= Model.Pieces.Count)
        {
            throw new InvalidDataException($"SentencePiece model has no {name} piece (id {id}); umT5 needs one.");
        }
        return id;
    }

    private static bool TryParseBytePiece(string piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out value);
    }

    private static bool ReadByteFallbackFlag(string tokenizerJsonPath)
    {
        using var stream = File.OpenRead(tokenizerJsonPath);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.TryGetProperty("model", out var model)
            && model.ValueKind == JsonValueKind.Object
            && model.TryGetProperty("byte_fallback", out var flag)
            && flag.ValueKind == JsonValueKind.True;
    }
}
