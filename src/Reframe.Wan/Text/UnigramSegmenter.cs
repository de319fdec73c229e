using System.Buffers;
using System.Text;

namespace Reframe.Wan.Text;

/// <summary>
/// SentencePiece's unigram <c>Model::EncodeOptimized</c>: the best-scoring segmentation of normalised text
/// over the lattice of vocabulary pieces (Viterbi, float32 path scores, ties keep the earliest start). A
/// character that no piece covers scores <c>min_score - 10</c> as an unknown, one node per character.
/// </summary>
public sealed class UnigramSegmenter
{
    /// <summary><c>kUnkPenalty</c> in <c>unigram_model.cc</c>.</summary>
    private const float UnknownPenalty = 10f;

    private readonly PieceTrie _trie;
    private readonly float[] _scores;
    private readonly SentencePieceType[] _types;
    private readonly SentencePieceModel _model;
    private readonly float _minScore;
    private readonly float _maxScore;

    public SentencePieceModel Model => _model;

    public UnigramSegmenter(SentencePieceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.ModelType != SentencePieceModel.UnigramModelType)
        {
            throw new NotSupportedException($"Only unigram SentencePiece models are supported (model_type {model.ModelType}).");
        }
        _model = model;
        _minScore = float.MaxValue;
        // The reference starts its maximum at FLT_MIN (the smallest positive float), not at -FLT_MAX.
        _maxScore = 1.17549435e-38f;
        var pieceIds = new Dictionary<string, int>(StringComparer.Ordinal);
        _scores = model.Pieces.Select(p => p.Score).ToArray();
        _types = model.Pieces.Select(p => p.Type).ToArray();
        for (int id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            // Same trie contents as SentencePiece: normal, user-defined and unused pieces (unused are skipped
            // during the search); control, unknown and byte pieces are never matched against text.
            if (piece.Type is SentencePieceType.Normal or SentencePieceType.UserDefined or SentencePieceType.Unused
                && piece.Piece.Length > 0)
            {
                pieceIds.TryAdd(piece.Piece, id); // the first of duplicate pieces wins, as in SentencePiece
            }
            if (piece.Type == SentencePieceType.Normal)
            {
                _minScore = Math.Min(_minScore, piece.Score);
                _maxScore = Math.Max(_maxScore, piece.Score);
            }
        }
        if (model.UnkId < 0 || model.UnkId >= model.Pieces.Count)
        {
            throw new InvalidDataException($"SentencePiece model has no valid unknown id ({model.UnkId}).");
        }
        _trie = new PieceTrie(pieceIds);
    }

    /// <summary>One segment of the best path: UTF-16 range in the normalised text and its piece id.</summary>
    public readonly record struct PieceSpan(int Start, int Length, int Id);

    public List<PieceSpan> Segment(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        int size = normalized.Length;
        var bestScore = ArrayPool<float>.Shared.Rent(size + 1);
        var startsAt = ArrayPool<int>.Shared.Rent(size + 1);
        var ids = ArrayPool<int>.Shared.Rent(size + 1);
        try
        {
            return Segment(normalized, bestScore, startsAt, ids);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bestScore);
            ArrayPool<int>.Shared.Return(startsAt);
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    /// <summary>The lattice pass over caller-provided arrays of at least <c>Length + 1</c> entries.</summary>
    private List<PieceSpan> Segment(string normalized, float[] bestScore, int[] startsAt, int[] ids)
    {
        int size = normalized.Length;
        bestScore[0] = 0; // every other entry is written before it is read: each character boundary gets a node
        Array.Fill(startsAt, -1, 0, size + 1);
        float unknownScore = _minScore - UnknownPenalty;

        int start = 0;
        while (start < size)
        {
            float scoreTillHere = bestScore[start];
            int charLength = char.IsHighSurrogate(normalized[start]) && start + 1 < size
                && char.IsLowSurrogate(normalized[start + 1]) ? 2 : 1;
            bool hasSingleCharPiece = false;
            int node = PieceTrie.Root;
            for (int end = start + 1; end <= size; end++)
            {
                node = _trie.Step(node, normalized[end - 1]);
                if (node < 0)
                {
                    break;
                }
                int id = _trie.ValueOf(node);
                if (id < 0)
                {
                    continue;
                }
                var type = _types[id];
                if (type == SentencePieceType.Unused)
                {
                    continue;
                }
                // User-defined symbols get a bonus so they always win (in bytes, in double, as the reference).
                double score = type == SentencePieceType.UserDefined
                    ? Encoding.UTF8.GetByteCount(normalized.AsSpan(start, end - start)) * _maxScore - 0.1
                    : _scores[id];
                double candidate = score + scoreTillHere;
                if (startsAt[end] == -1 || candidate > bestScore[end])
                {
                    bestScore[end] = (float)candidate;
                    startsAt[end] = start;
                    ids[end] = id;
                }
                if (end - start == charLength)
                {
                    hasSingleCharPiece = true;
                }
            }
            if (!hasSingleCharPiece)
            {
                int end = start + charLength;
                float candidate = unknownScore + scoreTillHere;
                if (startsAt[end] == -1 || candidate > bestScore[end])
                {
                    bestScore[end] = candidate;
                    startsAt[end] = start;
                    ids[end] = _model.UnkId;
                }
            }
            start += charLength;
        }

        var result = new List<PieceSpan>();
        for (int end = size; end > 0; end = startsAt[end])
        {
            result.Add(new PieceSpan(startsAt[end], end - startsAt[end], ids[end]));
        }
        result.Reverse();
        return result;
    }
}
