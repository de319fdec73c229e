using System.Globalization;

namespace Reframe.Onnx.Runtime;

/// <summary>Where the installed ONNX models run (REFRAME_ONNX_DEVICE, REFRAME_ONNX_THREADS).</summary>
public sealed record OnnxRuntimeSettings
{
    public const string DeviceKey = "REFRAME_ONNX_DEVICE";
    public const string ThreadsKey = "REFRAME_ONNX_THREADS";

    /// <summary><c>auto</c> (CUDA where this build of ONNX Runtime has its provider, else CPU), <c>cpu</c> or <c>cuda</c>.</summary>
    public OnnxDevice Device { get; init; } = OnnxDevice.Auto;

    /// <summary>Intra-op threads per session; 0 lets ONNX Runtime use one per core.</summary>
    public int Threads { get; init; }

    public static OnnxRuntimeSettings FromConfiguration(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var device = read(DeviceKey)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => OnnxDevice.Auto,
            "cpu" => OnnxDevice.Cpu,
            "cuda" => OnnxDevice.Cuda,
            var other => throw new OnnxModelException($"{DeviceKey}='{other}' is not one of auto, cpu, cuda."),
        };
        var threads = 0;
        if (read(ThreadsKey) is { Length: > 0 } raw
            && (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out threads) || threads < 0 || threads > 1024))
        {
            throw new OnnxModelException($"{ThreadsKey}='{raw}' is not an integer in 0..1024.");
        }
        return new OnnxRuntimeSettings { Device = device, Threads = threads };
    }
}

public enum OnnxDevice
{
    Auto,
    Cpu,
    Cuda,
}
