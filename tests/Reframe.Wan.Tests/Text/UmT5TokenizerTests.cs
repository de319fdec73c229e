using System.Text.Json;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Text;

namespace Reframe.Wan.Tests.Text;

/// <summary>Behaviour of the tokenizer pieces on the kit's tiny umT5-style model (1000 pieces, nmt_nfkc).</summary>
public class UmT5TokenizerTests
{
    private static string TinyModelFolder => ParityKit.Path("tokenizer", "tiny_umt5_v1000");

    private static readonly Lazy<SentencePieceModel> TinyModel =
        new(() => SentencePieceModel.Load(Path.Combine(TinyModelFolder, "spiece.model")));

    [Fact]
    public void Load_ReadsEveryPieceScoreAndType_MatchingTheVocabDump()
    {
        using var dump = JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyModelFolder, "vocab.json")));
        var model = TinyModel.Value;
        var pieces = dump.RootElement.GetProperty("pieces").EnumerateArray().ToList();
        Assert.Equal(pieces.Count, model.Pieces.Count);
        foreach (var entry in pieces)
        {
            var piece = model.Pieces[entry.GetProperty("id").GetInt32()];
            Assert.Equal(entry.GetProperty("piece").GetString(), piece.Piece);
            Assert.Equal(entry.GetProperty("score").GetSingle(), piece.Score);
            Assert.Equal(entry.GetProperty("type").GetString(), piece.Type.ToString().ToUpperInvariant()
                .Replace("USERDEFINED", "USER_DEFINED", StringComparison.Ordinal));
        }
        var trainer = dump.RootElement.GetProperty("trainer_spec");
        Assert.Equal(trainer.GetProperty("unk_id").GetInt32(), model.UnkId);
        Assert.Equal(trainer.GetProperty("eos_id").GetInt32(), model.EosId);
        Assert.Equal(trainer.GetProperty("pad_id").GetInt32(), model.PadId);
        Assert.Equal(trainer.GetProperty("bos_id").GetInt32(), model.BosId);
        Assert.Equal(trainer.GetProperty("byte_fallback").GetInt32() == 1, model.ByteFallback);
        Assert.Equal(SentencePieceModel.UnigramModelType, model.ModelType);
        var normalizer = dump.RootElement.GetProperty("normalizer_spec");
        Assert.Equal(normalizer.GetProperty("name").GetString(), model.Normalizer.Name);
        Assert.Equal(normalizer.GetProperty("precompiled_charsmap_bytes").GetInt32(), model.Normalizer.PrecompiledCharsMap.Length);
    }

    [Theory]
    [InlineData("  \uFF28\uFF45\uFF4C\uFF4C\uFF4F\u00A0\u3000world\t\n ", "\u2581Hello\u2581world")]
    [InlineData("\uFB01ne  day", "\u2581fine\u2581day")]
    [InlineData("a\r\nb", "\u2581a\u2581b")]
    [InlineData("", "")]
    [InlineData(" \t\u3000 ", "")]
    public void Normalize_AppliesCharsMapThenWhitespaceRules_WhenTextHasOddCharacters(string text, string expected)
    {
        var tokenizer = new UmT5Tokenizer(TinyModel.Value);
        Assert.Equal(expected, tokenizer.Normalize(text));
    }

    [Fact]
    public void Encode_KeepsFirstMaxLengthMinusOnePieces_ThenEos_WhenTextIsLong()
    {
        var tokenizer = new UmT5Tokenizer(TinyModel.Value);
        const string text = "A red fox walks across the snowy forest at dawn, cinematic lighting.";
        var pieces = tokenizer.EncodePieces(text);
        Assert.True(pieces.Count > 7);
        var ids = tokenizer.Encode(text, 8);
        Assert.Equal(pieces.Take(7).Append(tokenizer.EosId), ids);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Encode_ReturnsOnlyEos_WhenPromptIsBlank(string text)
    {
        var tokenizer = new UmT5Tokenizer(TinyModel.Value);
        Assert.Equal([1], tokenizer.Encode(text, 512));
    }

    [Fact]
    public void EncodeBatch_PadsRightWithPadAndMasksPadding_WhenPromptsDifferInLength()
    {
        var tokenizer = new UmT5Tokenizer(TinyModel.Value);
        var batch = tokenizer.EncodeBatch(["a cat", ""], 6);
        var first = tokenizer.Encode("a cat", 6);
        Assert.Equal(2, batch.Count);
        Assert.Equal([first.Length, 1], batch.SequenceLengths);
        Assert.Equal(first.Select(i => (long)i).Concat(Enumerable.Repeat(0L, 6 - first.Length)), batch.Ids(0).ToArray());
        Assert.Equal(Enumerable.Repeat(1L, first.Length).Concat(Enumerable.Repeat(0L, 6 - first.Length)), batch.Mask(0).ToArray());
        Assert.Equal([1L, 0, 0, 0, 0, 0], batch.Ids(1).ToArray());
        Assert.Equal([1L, 0, 0, 0, 0, 0], batch.Mask(1).ToArray());
    }

    [Fact]
    public void EncodePieces_FusesARunOfUnknownCharacters_IntoOneUnk()
    {
        // Greek is not in the tiny model: three unknown characters in a row are one <unk> for the fast tokenizer.
        var tokenizer = new UmT5Tokenizer(TinyModel.Value);
        var ids = tokenizer.EncodePieces("a \u03A9\u03A9\u03A9 a");
        Assert.Equal(1, ids.Count(id => id == tokenizer.UnkId));
        Assert.DoesNotContain(ids, id => TinyModel.Value.Pieces[id].Type == SentencePieceType.Byte);
    }

    [Fact]
    public void EncodePieces_EmitsUtf8BytePieces_WhenByteFallbackIsOn()
    {
        var tokenizer = new UmT5Tokenizer(TinyModel.Value, byteFallback: true);
        var ids = tokenizer.EncodePieces("\u03A9\u03A9");
        // U+03A9 = CE A9 in UTF-8; byte pieces <0x00>..<0xFF> are ids 3..258 in this model.
        Assert.Equal([3 + 0xCE, 3 + 0xA9, 3 + 0xCE, 3 + 0xA9], ids.Where(id => id >= 3 && id <= 258));
        Assert.DoesNotContain(tokenizer.UnkId, ids);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("""{"model":{"type":"Unigram","byte_fallback":false}}""", false)]
    [InlineData("""{"model":{"type":"Unigram","byte_fallback":true}}""", true)]
    public void FromFolder_TakesByteFallbackFromTokenizerJson_WhenPresent(string? tokenizerJson, bool expected)
    {
        string folder = Directory.CreateTempSubdirectory("reframe-tok-").FullName;
        try
        {
            File.Copy(Path.Combine(TinyModelFolder, "spiece.model"), Path.Combine(folder, "spiece.model"));
            if (tokenizerJson is not null)
            {
                File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizerJson);
            }
            Assert.Equal(expected, UmT5Tokenizer.FromFolder(folder).ByteFallback);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void FromFolder_NamesTheMissingFile_WhenSpieceModelIsAbsent()
    {
        string folder = Directory.CreateTempSubdirectory("reframe-tok-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => UmT5Tokenizer.FromFolder(folder));
            Assert.Contains("spiece.model", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_Throws_WhenModelFileIsTruncated()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TinyModelFolder, "spiece.model"));
        Assert.Throws<InvalidDataException>(() => SentencePieceModel.Load(bytes.AsSpan(0, bytes.Length - 1000)));
    }

    [Theory]
    [InlineData(false, "pipeline")]
    [InlineData(true, "pipeline_spm_byte_fallback")]
    public void FromFolder_ReproducesTheReferenceIds_FromATokenizerJsonAlone(bool byteFallback, string variant)
    {
        // A tokenizer.json laid out as transformers' T5 converter writes it, built from the tiny model's pieces.
        var model = TinyModel.Value;
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["added_tokens"] = new System.Text.Json.Nodes.JsonArray(
                new[] { "<pad>", "</s>", "<unk>" }.Select((t, i) => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                { ["id"] = i, ["content"] = t, ["special"] = true }).ToArray()),
            ["normalizer"] = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new System.Text.Json.Nodes.JsonArray(
                    new System.Text.Json.Nodes.JsonObject
                    {
                        ["type"] = "Precompiled",
                        ["precompiled_charsmap"] = Convert.ToBase64String(model.Normalizer.PrecompiledCharsMap),
                    },
                    new System.Text.Json.Nodes.JsonObject { ["type"] = "Replace", ["content"] = "\u2581" }),
            },
            ["pre_tokenizer"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "Metaspace", ["replacement"] = "\u2581" },
            ["model"] = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "Unigram",
                ["unk_id"] = model.UnkId,
                ["byte_fallback"] = byteFallback,
                ["vocab"] = new System.Text.Json.Nodes.JsonArray(model.Pieces.Select(p =>
                    (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonArray(p.Piece, (double)p.Score)).ToArray()),
            },
        };
        string folder = Directory.CreateTempSubdirectory("reframe-tok-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
            var tokenizer = UmT5Tokenizer.FromFolder(folder);
            Assert.Equal(byteFallback, tokenizer.ByteFallback);
            using var parityCase = ParityKit.Load("tokenizer/strings_len32");
            foreach (var entry in parityCase.Json.GetProperty("strings").EnumerateArray())
            {
                var expected = entry.GetProperty(variant);
                var ids = expected.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                Assert.Equal(ids, tokenizer.Encode(expected.GetProperty("input_text").GetString()!, 32));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_FailsOnlyWithInvalidData_WhenModelBytesAreCorrupted()
    {
        // Seeded byte flips and truncations over the whole file (pieces, trainer spec, charsmap trie and blob):
        // loading and encoding either work or fail with InvalidDataException / NotSupportedException, never with
        // an index, overflow or null-reference error from reading past a buffer.
        var original = File.ReadAllBytes(Path.Combine(TinyModelFolder, "spiece.model"));
        var random = new Random(20261124);
        int accepted = 0, rejected = 0;
        for (int trial = 0; trial < 600; trial++)
        {
            var bytes = (byte[])original.Clone();
            int flips = random.Next(1, 8);
            for (int f = 0; f < flips; f++)
            {
                // Half the trials hit the pieces and specs before the charsmap, which is most of the file.
                int span = trial % 2 == 0 ? bytes.Length : Math.Min(bytes.Length, 16_000);
                bytes[random.Next(span)] = (byte)random.Next(256);
            }
            var data = trial % 5 == 0 ? bytes.AsSpan(0, random.Next(bytes.Length)).ToArray() : bytes;
            try
            {
                var tokenizer = new UmT5Tokenizer(SentencePieceModel.Load(data), byteFallback: trial % 2 == 0);
                tokenizer.Encode("  Ｈｅｌｌｏ ﬁne caf\u00E9 \u4E00\u53EA \u00A0 world\t", 32);
                accepted++;
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                rejected++;
            }
        }
        // Both outcomes occur, so the corruption really reaches the parser.
        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }
}
