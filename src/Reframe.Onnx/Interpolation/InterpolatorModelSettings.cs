using System.Globalization;
using Reframe.Core.Requests;
using Reframe.Onnx.Runtime;

namespace Reframe.Onnx.Interpolation;

/// <summary>
/// An installed interpolation network (REFRAME_RIFE_MODEL / REFRAME_FILM_MODEL) and the conventions the file's export
/// needs that its shapes do not tell: the multiple the frame is padded to, the pixel range, the colour order.
/// </summary>
public sealed record InterpolatorModelSettings
{
    public required InterpolatorModel Model { get; init; }

    public required string ModelPath { get; init; }

    /// <summary>Frames are padded (right and bottom, edge pixels repeated) to a multiple of this; 1 for exports that pad inside.</summary>
    public int PadMultiple { get; init; } = 32;

    /// <summary>How pixels are scaled: 0..1 (<c>unit</c>) or -1..1 (<c>signed</c>).</summary>
    public PixelRange Range { get; init; } = PixelRange.Unit;

    /// <summary>Colour order of the tensor's channels.</summary>
    public bool Bgr { get; init; }

    public PixelTransform Transform => Range == PixelRange.Unit
        ? PixelTransform.FromMeanStd([0f, 0f, 0f], [1f, 1f, 1f], Bgr)
        : PixelTransform.FromMeanStd([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f], Bgr);

    /// <summary>The model's settings, or null when its file is not configured. A malformed value throws <see cref="OnnxModelException"/> naming it.</summary>
    public static InterpolatorModelSettings? FromConfiguration(InterpolatorModel model, Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var (pathKey, padKey, rangeKey, channelsKey, defaultPad) = Keys(model);
        if (read(pathKey) is not { } path || string.IsNullOrWhiteSpace(path))
        {
            return null;
        }
        var settings = new InterpolatorModelSettings { Model = model, ModelPath = path.Trim(), PadMultiple = defaultPad };
        if (read(padKey) is { Length: > 0 } pad)
        {
            if (!int.TryParse(pad, NumberStyles.Integer, CultureInfo.InvariantCulture, out var multiple) || multiple is < 1 or > 512)
            {
                throw new OnnxModelException($"{padKey}='{pad}' is not an integer in 1..512.");
            }
            settings = settings with { PadMultiple = multiple };
        }
        return settings with
        {
            Range = read(rangeKey)?.Trim().ToLowerInvariant() switch
            {
                null or "" or "unit" => PixelRange.Unit,
                "signed" => PixelRange.Signed,
                var other => throw new OnnxModelException($"{rangeKey}='{other}' is not one of unit (0..1), signed (-1..1)."),
            },
            Bgr = read(channelsKey)?.Trim().ToLowerInvariant() switch
            {
                null or "" or "rgb" => false,
                "bgr" => true,
                var other => throw new OnnxModelException($"{channelsKey}='{other}' is not one of rgb, bgr."),
            },
        };
    }

    /// <summary>The setting names of a model. RIFE's flow network halves the frame five times (32); FILM's feature pyramid needs 64.</summary>
    public static (string Path, string Pad, string Range, string Channels, int DefaultPad) Keys(InterpolatorModel model) => model switch
    {
        InterpolatorModel.Rife => ("REFRAME_RIFE_MODEL", "REFRAME_RIFE_PAD_MULTIPLE", "REFRAME_RIFE_PIXEL_RANGE", "REFRAME_RIFE_CHANNELS", 32),
        InterpolatorModel.Film => ("REFRAME_FILM_MODEL", "REFRAME_FILM_PAD_MULTIPLE", "REFRAME_FILM_PIXEL_RANGE", "REFRAME_FILM_CHANNELS", 64),
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };
}

public enum PixelRange
{
    /// <summary>0..1.</summary>
    Unit,

    /// <summary>-1..1.</summary>
    Signed,
}
