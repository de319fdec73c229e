using Reframe.Core.Configuration;
using System.Globalization;
using Reframe.Wan.Runtime;

namespace Reframe.Wan.Engine;

/// <summary>
/// The Wan engine's settings, read once at start-up from configuration (environment variables in the service).
/// A wrong value stops the process naming the setting (<see cref="FromConfiguration"/> throws).
/// </summary>
public sealed record WanEngineOptions
{
    public const string ModelDirectoryKey = "REFRAME_WAN_MODEL_DIR";
    public const string DeviceKey = "REFRAME_WAN_DEVICE";
    public const string DTypeKey = "REFRAME_WAN_DTYPE";
    public const string CpuThreadsKey = "REFRAME_WAN_CPU_THREADS";
    public const string OffloadKey = "REFRAME_WAN_OFFLOAD";
    public const string WindowFramesKey = "REFRAME_WAN_WINDOW_FRAMES";
    public const string WindowOverlapKey = "REFRAME_WAN_WINDOW_OVERLAP";
    public const string TeaCacheThresholdKey = "REFRAME_WAN_TEACACHE_THRESHOLD";
    public const string TeaCacheLowThresholdKey = "REFRAME_WAN_TEACACHE_LOW_THRESHOLD";
    public const string TeaCacheSkipStartKey = "REFRAME_WAN_TEACACHE_SKIP_START_STEPS";
    public const string CfgSkipRatioKey = "REFRAME_WAN_CFG_SKIP_RATIO";

    /// <summary>The Wan2.2-VACE-Fun-A14B folder in the published layout.</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>Device, dtype, TF32 and CPU threads.</summary>
    public WanRuntimeOptions Runtime { get; init; } = new();

    /// <summary>Where weights live; null chooses from the device's memory (<see cref="OffloadPlan.Choose"/>).</summary>
    public OffloadMode? Offload { get; init; }

    /// <summary>Frames denoised together (4k+1): the model's training length, 81, by default.</summary>
    public int WindowFrames { get; init; } = 81;

    /// <summary>Frames a window shares with the previous one: conditioned on it, then blended.</summary>
    public int WindowOverlap { get; init; } = 16;

    /// <summary>TeaCache threshold for <c>acceleration: regular</c> (the request default): the reference script's 0.10.</summary>
    public double RegularThreshold { get; init; } = 0.10;

    /// <summary>TeaCache threshold for <c>acceleration: low</c>: half of regular's, so fewer steps reuse the cache.</summary>
    public double LowThreshold { get; init; } = 0.05;

    /// <summary>Steps that always compute at the start of every window (the reference script's 5).</summary>
    public int TeaCacheSkipStartSteps { get; init; } = 5;

    /// <summary>The reference's <c>cfg_skip_ratio</c> for <c>low</c> and <c>regular</c>: 0 (its script's value) never skips.</summary>
    public double CfgSkipRatio { get; init; }

    /// <summary>The step caching a request's <c>acceleration</c> gets: null for <c>none</c>.</summary>
    public Transformer.TeaCacheSettings? StepCache(Core.Requests.Acceleration acceleration) => acceleration switch
    {
        Core.Requests.Acceleration.Regular => new(RegularThreshold, TeaCacheSkipStartSteps, Transformer.TeaCacheSettings.Wan22VaceFunCoefficients),
        Core.Requests.Acceleration.Low => new(LowThreshold, TeaCacheSkipStartSteps, Transformer.TeaCacheSettings.Wan22VaceFunCoefficients),
        _ => null,
    };

    /// <summary>The options, or null when no model folder is configured (the classic engine then serves).</summary>
    public static WanEngineOptions? FromConfiguration(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var directory = read(ModelDirectoryKey);
        var options = new WanEngineOptions
        {
            ModelDirectory = directory ?? "",
            Runtime = new WanRuntimeOptions
            {
                Device = read(DeviceKey) ?? "auto",
                DType = read(DTypeKey) ?? "auto",
                CpuThreads = ReadInt(read, CpuThreadsKey, null, min: 1),
            },
            Offload = ReadOffload(read(OffloadKey)),
            WindowFrames = ReadInt(read, WindowFramesKey, 81, min: 5) ?? 81,
            WindowOverlap = ReadInt(read, WindowOverlapKey, 16, min: 0) ?? 16,
            RegularThreshold = ReadDouble(read, TeaCacheThresholdKey, 0.10, 0, 10),
            LowThreshold = ReadDouble(read, TeaCacheLowThresholdKey, 0.05, 0, 10),
            TeaCacheSkipStartSteps = ReadInt(read, TeaCacheSkipStartKey, 5, min: 0) ?? 5,
            CfgSkipRatio = ReadDouble(read, CfgSkipRatioKey, 0, 0, 1),
        };
        options.Validate();
        // Every other setting was read and checked even without a model folder: a wrong value is refused at start-up,
        // not when someone later sets REFRAME_WAN_MODEL_DIR.
        return string.IsNullOrWhiteSpace(directory) ? null : options;
    }

    /// <summary>Checks the window settings; throws naming the setting.</summary>
    public WanEngineOptions Validate()
    {
        if (WindowFrames < 5 || (WindowFrames - 1) % 4 != 0)
        {
            throw new SettingException($"{WindowFramesKey} must be 4k+1 and at least 5 (e.g. 81); got {WindowFrames}.");
        }

        if (WindowOverlap < 0 || WindowOverlap > WindowFrames - 5)
        {
            throw new SettingException($"{WindowOverlapKey} must be between 0 and {WindowFramesKey} - 5 ({WindowFrames - 5}); got {WindowOverlap}.");
        }

        return this;
    }

    private static OffloadMode? ReadOffload(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "none" => OffloadMode.None,
        "model" => OffloadMode.Model,
        "sequential" => OffloadMode.Sequential,
        _ => throw new SettingException($"{OffloadKey} must be auto, none, model or sequential; got '{text}'."),
    };

    private static double ReadDouble(Func<string, string?> read, string key, double fallback, double min, double max)
    {
        var text = read(key);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max
            ? value
            : throw new SettingException($"{key} must be a number from {min} to {max}; got '{text}'.");
    }

    private static int? ReadInt(Func<string, string?> read, string key, int? fallback, int min)
    {
        var text = read(key);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min
            ? value
            : throw new SettingException($"{key} must be an integer of at least {min}; got '{text}'.");
    }
}
