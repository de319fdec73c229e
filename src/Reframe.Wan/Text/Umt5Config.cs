using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reframe.Wan.Text;

/// <summary>
/// Constructor arguments of Wan's <c>T5Encoder</c> (the <c>text_encoder_kwargs</c>/<c>additional_kwargs</c>
/// names). UMT5-XXL: <see cref="UmT5Xxl"/>.
/// </summary>
public sealed record Umt5Config(
    [property: JsonPropertyName("vocab")] int Vocab,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("dim_attn")] int DimAttn,
    [property: JsonPropertyName("dim_ffn")] int DimFfn,
    [property: JsonPropertyName("num_heads")] int NumHeads,
    [property: JsonPropertyName("num_layers")] int NumLayers,
    [property: JsonPropertyName("num_buckets")] int NumBuckets,
    [property: JsonPropertyName("shared_pos")] bool SharedPos = false,
    [property: JsonPropertyName("dropout")] double Dropout = 0.0)
{
    /// <summary>T5's relative-position <c>max_dist</c> (not a constructor argument in Wan: fixed at 128).</summary>
    public const int MaxDistance = 128;

    /// <summary>RMS-norm epsilon of the reference's <c>T5LayerNorm</c> (our <see cref="Modules.RmsNorm"/>).</summary>
    public const double NormEps = 1e-6;

    /// <summary>The real text encoder (<c>models_t5_umt5-xxl-enc-bf16.pth</c>), as the shipped yaml builds it.</summary>
    public static Umt5Config UmT5Xxl { get; } = new(256384, 4096, 4096, 10240, 64, 24, 32, SharedPos: false);

    public int HeadDim => DimAttn / NumHeads;

    /// <summary>Reads the kwargs object (e.g. <c>additional_kwargs</c> in a kit <c>config.json</c>); unknown keys fail.</summary>
    public static Umt5Config FromJson(JsonElement kwargs)
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "vocab", "dim", "dim_attn", "dim_ffn", "num_heads", "num_layers", "num_buckets", "shared_pos", "dropout",
        };
        var unknown = kwargs.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"Unknown UMT5 config keys: {string.Join(", ", unknown)}");
        }
        var config = kwargs.Deserialize<Umt5Config>()
            ?? throw new InvalidDataException("UMT5 config is null.");
        config.Validate();
        return config;
    }

    /// <summary>
    /// The configuration a checkpoint was saved from, read off its tensor shapes (no data is read): vocab and
    /// dim from <c>token_embedding</c>, <c>dim_attn</c> from <c>attn.q</c>, <c>dim_ffn</c> from <c>ffn.fc1</c>,
    /// buckets and heads from a position table <c>[buckets, heads]</c> (per block, or top-level when shared),
    /// layers from the block count. The real UMT5-XXL file gives <see cref="UmT5Xxl"/>.
    /// </summary>
    public static Umt5Config FromCheckpoint(Checkpoints.ICheckpointReader checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return FromShapes(checkpoint.Tensors.ToDictionary(t => t.Key, t => t.Value.Shape, StringComparer.Ordinal));
    }

    /// <summary><see cref="FromCheckpoint"/> over a name-to-shape map (e.g. a key manifest).</summary>
    public static Umt5Config FromShapes(IReadOnlyDictionary<string, long[]> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        long[] Shape(string name) => tensors.TryGetValue(name, out var shape)
            ? shape
            : throw new InvalidDataException($"Not a UMT5 encoder checkpoint: no '{name}'.");
        bool shared = tensors.ContainsKey("pos_embedding.embedding.weight");
        var embedding = Shape("token_embedding.weight");
        var positions = Shape(shared ? "pos_embedding.embedding.weight" : "blocks.0.pos_embedding.embedding.weight");
        int layers = tensors.Keys.Count(k => k.StartsWith("blocks.", StringComparison.Ordinal)
            && k.EndsWith(".norm1.weight", StringComparison.Ordinal));
        var config = new Umt5Config(
            Vocab: checked((int)embedding[0]), Dim: checked((int)embedding[1]),
            DimAttn: checked((int)Shape("blocks.0.attn.q.weight")[0]), DimFfn: checked((int)Shape("blocks.0.ffn.fc1.weight")[0]),
            NumHeads: checked((int)positions[1]), NumLayers: layers, NumBuckets: checked((int)positions[0]), SharedPos: shared);
        config.Validate();
        return config;
    }

    public void Validate()
    {
        if (Vocab <= 0 || Dim <= 0 || DimAttn <= 0 || DimFfn <= 0 || NumHeads <= 0 || NumLayers <= 0 || NumBuckets < 4)
        {
            throw new InvalidDataException($"Invalid UMT5 config: {this}");
        }
        if (DimAttn % NumHeads != 0)
        {
            throw new InvalidDataException($"dim_attn {DimAttn} is not divisible by num_heads {NumHeads}.");
        }
    }
}
