using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>Where the weights are and how to run them.</summary>
/// <param name="ModelDirectory">The Wan2.2-VACE-Fun-A14B folder (see <see cref="WanModelLayout"/>).</param>
/// <param name="Device">Execution device; null picks CUDA when present, else CPU.</param>
/// <param name="DType">Weight dtype; null picks bf16 on CUDA and float32 on CPU.</param>
public sealed record WanEngineOptions(string ModelDirectory, Device? Device = null, ScalarType? DType = null)
{
    public Device ResolvedDevice => Device ?? (cuda.is_available() ? CUDA : CPU);

    public ScalarType ResolvedDType => DType ?? (ResolvedDevice.type == TorchSharp.DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32);
}
