namespace Reframe.Wan.Text;

/// <summary>Piece types of <c>sentencepiece_model.proto</c> (<c>ModelProto.SentencePiece.Type</c>).</summary>
public enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

/// <summary>One vocabulary entry: its id is its index in <see cref="SentencePieceModel.Pieces"/>.</summary>
public readonly record struct SentencePiece(string Piece, float Score, SentencePieceType Type);

/// <summary>The fields of <c>NormalizerSpec</c> that shape normalisation (defaults as in the proto).</summary>
public sealed record SentencePieceNormalizerSpec(
    string Name,
    byte[] PrecompiledCharsMap,
    bool AddDummyPrefix = true,
    bool RemoveExtraWhitespaces = true,
    bool EscapeWhitespaces = true);

/// <summary>
/// The parts of a SentencePiece <c>.model</c> file (a serialised <c>ModelProto</c>) that encoding needs.
/// Parsed by hand (<see cref="Load(ReadOnlySpan{byte})"/>): field numbers are those of
/// <c>sentencepiece_model.proto</c>; unknown fields are skipped.
/// </summary>
public sealed record SentencePieceModel(
    IReadOnlyList<SentencePiece> Pieces,
    int ModelType,
    bool ByteFallback,
    bool TreatWhitespaceAsSuffix,
    int UnkId,
    int BosId,
    int EosId,
    int PadId,
    SentencePieceNormalizerSpec Normalizer)
{
    /// <summary><c>TrainerSpec.ModelType.UNIGRAM</c>.</summary>
    public const int UnigramModelType = 1;

    public static SentencePieceModel Load(string path) => Load(File.ReadAllBytes(path));

    public static SentencePieceModel Load(ReadOnlySpan<byte> modelProto)
    {
        var pieces = new List<SentencePiece>();
        // TrainerSpec / NormalizerSpec defaults from sentencepiece_model.proto, used when a field is absent.
        int modelType = UnigramModelType, unkId = 0, bosId = 1, eosId = 2, padId = -1;
        bool byteFallback = false, whitespaceAsSuffix = false;
        var normalizer = new SentencePieceNormalizerSpec("", []);

        var reader = new ProtobufWireReader(modelProto);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): pieces.Add(ReadPiece(reader.ReadLengthDelimited())); break;
                case (2, 2):
                    ReadTrainerSpec(reader.ReadLengthDelimited(), ref modelType, ref byteFallback, ref whitespaceAsSuffix,
                        ref unkId, ref bosId, ref eosId, ref padId);
                    break;
                case (3, 2): normalizer = ReadNormalizerSpec(reader.ReadLengthDelimited()); break;
                default: reader.Skip(wire); break;
            }
        }

        if (pieces.Count == 0)
        {
            throw new InvalidDataException("SentencePiece model has no pieces.");
        }
        return new SentencePieceModel(pieces, modelType, byteFallback, whitespaceAsSuffix, unkId, bosId, eosId, padId,
            normalizer);
    }

    private static SentencePiece ReadPiece(ReadOnlySpan<byte> message)
    {
        string piece = "";
        float score = 0;
        var type = SentencePieceType.Normal;
        var reader = new ProtobufWireReader(message);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): piece = System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited()); break;
                case (2, 5): score = reader.ReadFloat(); break;
                case (3, 0): type = (SentencePieceType)reader.ReadInt32(); break;
                default: reader.Skip(wire); break;
            }
        }
        return new SentencePiece(piece, score, type);
    }

    private static void ReadTrainerSpec(ReadOnlySpan<byte> message, ref int modelType, ref bool byteFallback,
        ref bool whitespaceAsSuffix, ref int unkId, ref int bosId, ref int eosId, ref int padId)
    {
        var reader = new ProtobufWireReader(message);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (3, 0): modelType = reader.ReadInt32(); break;
                case (24, 0): whitespaceAsSuffix = reader.ReadBool(); break;
                case (35, 0): byteFallback = reader.ReadBool(); break;
                case (40, 0): unkId = reader.ReadInt32(); break;
                case (41, 0): bosId = reader.ReadInt32(); break;
                case (42, 0): eosId = reader.ReadInt32(); break;
                case (43, 0): padId = reader.ReadInt32(); break;
                default: reader.Skip(wire); break;
            }
        }
    }

    private static SentencePieceNormalizerSpec ReadNormalizerSpec(ReadOnlySpan<byte> message)
    {
        string name = "";
        byte[] charsMap = [];
        bool addDummyPrefix = true, removeExtraWhitespaces = true, escapeWhitespaces = true;
        var reader = new ProtobufWireReader(message);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): name = System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited()); break;
                case (2, 2): charsMap = reader.ReadLengthDelimited().ToArray(); break;
                case (3, 0): addDummyPrefix = reader.ReadBool(); break;
                case (4, 0): removeExtraWhitespaces = reader.ReadBool(); break;
                case (5, 0): escapeWhitespaces = reader.ReadBool(); break;
                default: reader.Skip(wire); break;
            }
        }
        return new SentencePieceNormalizerSpec(name, charsMap, addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces);
    }
}
