using System.Globalization;
using Reframe.Onnx.Runtime;

namespace Reframe.Onnx.Safety;

/// <summary>
/// The operator's image classifier for <c>enable_safety_checker</c> and its conventions (docs/configuration.md,
/// "Safety checker"): where the model is, how pixels go in, which output classes count as flagged and from what score.
/// </summary>
public sealed record SafetyModelSettings
{
    public const string ModelKey = "REFRAME_SAFETY_MODEL";
    public const string ThresholdKey = "REFRAME_SAFETY_THRESHOLD";
    public const string FlaggedClassesKey = "REFRAME_SAFETY_FLAGGED_CLASSES";
    public const string OutputKey = "REFRAME_SAFETY_OUTPUT";
    public const string LayoutKey = "REFRAME_SAFETY_LAYOUT";
    public const string InputSizeKey = "REFRAME_SAFETY_INPUT_SIZE";
    public const string MeanKey = "REFRAME_SAFETY_MEAN";
    public const string StdKey = "REFRAME_SAFETY_STD";
    public const string SampleFramesKey = "REFRAME_SAFETY_SAMPLE_FRAMES";

    public required string ModelPath { get; init; }

    /// <summary>A frame is flagged when its flagged-class score is at or above this.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Output indices whose scores are added up into the flagged score (e.g. <c>3,4</c> for porn and sexy of a five-class model).</summary>
    public IReadOnlyList<int> FlaggedClasses { get; init; } = [1];

    /// <summary>Whether the output is already probabilities or logits to pass through a softmax first.</summary>
    public SafetyOutputKind Output { get; init; } = SafetyOutputKind.Probabilities;

    /// <summary>The input's layout; null reads it from the model (a fixed dimension of 3 marks the channels).</summary>
    public TensorLayout? Layout { get; init; }

    /// <summary>Input width and height; null reads them from the model (needed when the model's are dynamic).</summary>
    public (int Width, int Height)? InputSize { get; init; }

    /// <summary>Per-channel (R, G, B) normalisation after scaling pixels to 0..1: (x - mean) / std.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0f, 0f, 0f];

    public IReadOnlyList<float> Std { get; init; } = [1f, 1f, 1f];

    /// <summary>Frames classified per video.</summary>
    public int SampleFrames { get; init; } = 8;

    /// <summary>The settings, or null when no model is configured; a malformed value throws <see cref="OnnxModelException"/> naming it.</summary>
    public static SafetyModelSettings? FromConfiguration(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        // Every setting is read and checked even with no model configured: a wrong value is refused at start-up, not
        // when someone later installs a model.
        var model = read(ModelKey);
        var settings = new SafetyModelSettings { ModelPath = model?.Trim() ?? "" };
        if (read(ThresholdKey) is { Length: > 0 } threshold)
        {
            settings = settings with { Threshold = ParseDouble(ThresholdKey, threshold) };
        }
        if (read(FlaggedClassesKey) is { Length: > 0 } classes)
        {
            settings = settings with { FlaggedClasses = ParseList<int>(FlaggedClassesKey, classes, s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : null) };
        }
        settings = settings with
        {
            Output = read(OutputKey)?.Trim().ToLowerInvariant() switch
            {
                null or "" or "probabilities" => SafetyOutputKind.Probabilities,
                "logits" => SafetyOutputKind.Logits,
                var other => throw new OnnxModelException($"{OutputKey}='{other}' is not one of probabilities, logits."),
            },
            Layout = read(LayoutKey)?.Trim().ToLowerInvariant() switch
            {
                null or "" or "auto" => null,
                "nchw" => TensorLayout.Nchw,
                "nhwc" => TensorLayout.Nhwc,
                var other => throw new OnnxModelException($"{LayoutKey}='{other}' is not one of auto, nchw, nhwc."),
            },
        };
        if (read(InputSizeKey) is { Length: > 0 } size)
        {
            var sides = ParseList<int>(InputSizeKey, size.Replace('x', ','), s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v is > 0 and <= 4096 ? v : null);
            settings = settings with
            {
                InputSize = sides.Count switch
                {
                    1 => (sides[0], sides[0]),
                    2 => (sides[0], sides[1]),
                    _ => throw new OnnxModelException($"{InputSizeKey}='{size}' is not SIDE or WIDTHxHEIGHT."),
                },
            };
        }
        if (read(MeanKey) is { Length: > 0 } mean)
        {
            settings = settings with { Mean = ParseTriple(MeanKey, mean, allowZero: true) };
        }
        if (read(StdKey) is { Length: > 0 } std)
        {
            settings = settings with { Std = ParseTriple(StdKey, std, allowZero: false) };
        }
        if (read(SampleFramesKey) is { Length: > 0 } frames)
        {
            if (!int.TryParse(frames, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 64)
            {
                throw new OnnxModelException($"{SampleFramesKey}='{frames}' is not an integer in 1..64.");
            }
            settings = settings with { SampleFrames = count };
        }
        return string.IsNullOrWhiteSpace(model) ? null : settings;
    }

    private static double ParseDouble(string key, string raw) =>
        double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new OnnxModelException($"{key}='{raw}' is not a number.");

    private static List<T> ParseList<T>(string key, string raw, Func<string, T?> parse) where T : struct
    {
        var values = new List<T>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            values.Add(parse(part) ?? throw new OnnxModelException($"{key}='{raw}': '{part}' is not accepted."));
        }
        return values.Count > 0 ? values : throw new OnnxModelException($"{key}='{raw}' names no value.");
    }

    private static float[] ParseTriple(string key, string raw, bool allowZero)
    {
        var values = ParseList<float>(key, raw, s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && float.IsFinite(v) && (allowZero || v != 0) ? v : (float?)null);
        return values.Count switch
        {
            1 => [values[0], values[0], values[0]],
            3 => [.. values],
            _ => throw new OnnxModelException($"{key}='{raw}' is one number or three (R,G,B)."),
        };
    }
}

public enum SafetyOutputKind
{
    Probabilities,
    Logits,
}
