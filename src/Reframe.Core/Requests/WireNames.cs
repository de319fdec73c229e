namespace Reframe.Core.Requests;

/// <summary>
/// The one mapping between the enums and their names on the wire (JSON, CLI flags, meta).
/// Kept in one place so the HTTP layer, the CLI and the docs cannot drift apart.
/// </summary>
public static class WireNames
{
    public static readonly IReadOnlyDictionary<string, Resolution> Resolutions = new Dictionary<string, Resolution>(StringComparer.Ordinal)
    {
        ["480p"] = Resolution.P480, ["580p"] = Resolution.P580, ["720p"] = Resolution.P720, ["auto"] = Resolution.Auto,
    };

    public static readonly IReadOnlyDictionary<string, AspectRatio> AspectRatios = new Dictionary<string, AspectRatio>(StringComparer.Ordinal)
    {
        ["auto"] = AspectRatio.Auto, ["16:9"] = AspectRatio.Landscape16x9, ["1:1"] = AspectRatio.Square1x1, ["9:16"] = AspectRatio.Portrait9x16,
    };

    public static readonly IReadOnlyDictionary<string, Sampler> Samplers = new Dictionary<string, Sampler>(StringComparer.Ordinal)
    {
        ["unipc"] = Sampler.UniPC, ["dpm++"] = Sampler.DpmPlusPlus, ["euler"] = Sampler.Euler,
    };

    public static readonly IReadOnlyDictionary<string, Acceleration> Accelerations = new Dictionary<string, Acceleration>(StringComparer.Ordinal)
    {
        ["none"] = Acceleration.None, ["low"] = Acceleration.Low, ["regular"] = Acceleration.Regular,
    };

    public static readonly IReadOnlyDictionary<string, VideoQuality> VideoQualities = new Dictionary<string, VideoQuality>(StringComparer.Ordinal)
    {
        ["low"] = VideoQuality.Low, ["medium"] = VideoQuality.Medium, ["high"] = VideoQuality.High, ["maximum"] = VideoQuality.Maximum,
    };

    public static readonly IReadOnlyDictionary<string, VideoWriteMode> VideoWriteModes = new Dictionary<string, VideoWriteMode>(StringComparer.Ordinal)
    {
        ["fast"] = VideoWriteMode.Fast, ["balanced"] = VideoWriteMode.Balanced, ["small"] = VideoWriteMode.Small,
    };

    public static readonly IReadOnlyDictionary<string, InterpolatorModel> InterpolatorModels = new Dictionary<string, InterpolatorModel>(StringComparer.Ordinal)
    {
        ["rife"] = InterpolatorModel.Rife, ["film"] = InterpolatorModel.Film,
    };

    public static string Of(Resolution v) => NameOf(Resolutions, v);
    public static string Of(AspectRatio v) => NameOf(AspectRatios, v);
    public static string Of(Sampler v) => NameOf(Samplers, v);
    public static string Of(Acceleration v) => NameOf(Accelerations, v);
    public static string Of(VideoQuality v) => NameOf(VideoQualities, v);
    public static string Of(VideoWriteMode v) => NameOf(VideoWriteModes, v);
    public static string Of(InterpolatorModel v) => NameOf(InterpolatorModels, v);

    private static string NameOf<T>(IReadOnlyDictionary<string, T> table, T value) where T : struct, Enum
    {
        foreach (var (name, v) in table)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, "no wire name");
    }
}
