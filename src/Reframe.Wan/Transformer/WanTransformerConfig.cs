using System.Text.Json;

namespace Reframe.Wan.Transformer;

/// <summary>
/// One expert's <c>config.json</c> (<c>VaceWanTransformer3DModel</c>), with the original key names. Binding is
/// strict: a key this port does not know is an error naming it (the reference silently filters them), a missing
/// key is an error (the class defaults for <c>vace_layers</c> and <c>vace_in_dim</c> are wrong for this
/// checkpoint), and settings this port does not implement (another <c>model_type</c>, windowed attention, no q/k
/// norm) are refused rather than ignored.
/// </summary>
public sealed record WanTransformerConfig(
    int[] PatchSize,
    int TextLen,
    int InDim,
    int Dim,
    int FfnDim,
    int FreqDim,
    int TextDim,
    int OutDim,
    int NumHeads,
    int NumLayers,
    double Eps,
    int[] VaceLayers,
    int VaceInDim)
{
    /// <summary>Bookkeeping keys written by diffusers/VideoX-Fun that carry no model setting.</summary>
    private static readonly HashSet<string> BookkeepingKeys = ["_class_name", "_diffusers_version", "_name_or_path"];

    private static readonly HashSet<string> ModelKeys =
    [
        "model_type", "patch_size", "text_len", "in_dim", "dim", "ffn_dim", "freq_dim", "text_dim", "out_dim",
        "num_heads", "num_layers", "window_size", "qk_norm", "cross_attn_norm", "eps", "vace_layers", "vace_in_dim",
        // Aliases the reference loader derives (in_channels = in_dim, hidden_size = dim); checked for agreement.
        "in_channels", "hidden_size",
    ];

    /// <summary>The real Wan2.2-VACE-Fun-A14B expert configuration (ARCHITECTURE.md 1.2).</summary>
    public static WanTransformerConfig A14B { get; } = new(
        PatchSize: [1, 2, 2], TextLen: 512, InDim: 16, Dim: 5120, FfnDim: 13824, FreqDim: 256, TextDim: 4096,
        OutDim: 16, NumHeads: 40, NumLayers: 40, Eps: 1e-6, VaceLayers: [0, 5, 10, 15, 20, 25, 30, 35], VaceInDim: 96);

    public int HeadDim => Dim / NumHeads;

    public static WanTransformerConfig Load(string configJsonPath)
    {
        using var stream = File.OpenRead(configJsonPath);
        using var document = JsonDocument.Parse(stream);
        try
        {
            return Parse(document.RootElement);
        }
        catch (Exception ex) when (ex is InvalidDataException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{configJsonPath}: {ex.Message}", ex);
        }
    }

    public static WanTransformerConfig Parse(JsonElement root)
    {
        var unknown = root.EnumerateObject().Select(p => p.Name)
            .Where(name => !ModelKeys.Contains(name) && !BookkeepingKeys.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"unknown transformer config key(s): {string.Join(", ", unknown)}");
        }

        var missing = ModelKeys.Where(k => k is not ("in_channels" or "hidden_size") && !root.TryGetProperty(k, out _)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"missing transformer config key(s): {string.Join(", ", missing)}");
        }

        if (root.GetProperty("model_type").GetString() != "t2v")
        {
            throw new InvalidDataException("model_type must be \"t2v\" (the VACE-Fun experts are built as t2v)");
        }

        var window = IntArray(root, "window_size");
        if (window is not [-1, -1])
        {
            throw new InvalidDataException("window_size must be [-1, -1]: windowed attention is not implemented");
        }

        if (!root.GetProperty("qk_norm").GetBoolean() || !root.GetProperty("cross_attn_norm").GetBoolean())
        {
            throw new InvalidDataException("qk_norm and cross_attn_norm must be true (the only configuration of this model)");
        }

        var config = new WanTransformerConfig(
            PatchSize: IntArray(root, "patch_size"),
            TextLen: root.GetProperty("text_len").GetInt32(),
            InDim: root.GetProperty("in_dim").GetInt32(),
            Dim: root.GetProperty("dim").GetInt32(),
            FfnDim: root.GetProperty("ffn_dim").GetInt32(),
            FreqDim: root.GetProperty("freq_dim").GetInt32(),
            TextDim: root.GetProperty("text_dim").GetInt32(),
            OutDim: root.GetProperty("out_dim").GetInt32(),
            NumHeads: root.GetProperty("num_heads").GetInt32(),
            NumLayers: root.GetProperty("num_layers").GetInt32(),
            Eps: root.GetProperty("eps").GetDouble(),
            VaceLayers: IntArray(root, "vace_layers"),
            VaceInDim: root.GetProperty("vace_in_dim").GetInt32());

        if (root.TryGetProperty("in_channels", out var inChannels) && inChannels.GetInt32() != config.InDim)
        {
            throw new InvalidDataException("in_channels disagrees with in_dim");
        }

        if (root.TryGetProperty("hidden_size", out var hiddenSize) && hiddenSize.GetInt32() != config.Dim)
        {
            throw new InvalidDataException("hidden_size disagrees with dim");
        }

        config.Validate();
        return config;
    }

    public void Validate()
    {
        if (PatchSize.Length != 3 || Dim % NumHeads != 0 || HeadDim % 2 != 0 || FreqDim % 2 != 0)
        {
            throw new InvalidDataException("inconsistent transformer config (patch_size, dim/num_heads, freq_dim)");
        }

        if (VaceLayers.Length == 0 || VaceLayers.Any(l => l < 0 || l >= NumLayers) || VaceLayers.Distinct().Count() != VaceLayers.Length)
        {
            throw new InvalidDataException($"vace_layers must be distinct layer indices below num_layers ({NumLayers})");
        }
    }

    private static int[] IntArray(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();
}
