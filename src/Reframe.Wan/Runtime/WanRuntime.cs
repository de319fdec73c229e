using static TorchSharp.torch;

namespace Reframe.Wan.Runtime;

/// <summary>
/// The resolved device and dtype every Wan module is built and run with. <see cref="Resolve"/> checks at run
/// time what this process can do (NuGet here ships only the CPU build of libtorch; a CUDA build of TorchSharp's
/// native libraries must be installed for <c>cuda</c>), and <see cref="Apply"/> sets the process-wide switches.
/// </summary>
public sealed record WanRuntime(Device Device, ScalarType DType, bool AllowTf32, int? CpuThreads = null)
{
    /// <summary>CPU, float32, TF32 off: what the parity tests use.</summary>
    public static WanRuntime CpuFloat32 { get; } = new(CPU, ScalarType.Float32, false);

    public bool IsCuda => Device.type == TorchSharp.DeviceType.CUDA;

    /// <summary>Whether this process can run on a GPU: a CUDA build of libtorch loaded and a device visible.</summary>
    public static bool CudaAvailable()
    {
        try
        {
            return cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Turns options into a device and dtype, failing clearly when CUDA is asked for but absent.</summary>
    public static WanRuntime Resolve(WanRuntimeOptions options, Func<bool>? cudaAvailable = null)
    {
        bool hasCuda = (cudaAvailable ?? CudaAvailable)();
        string deviceText = options.Device.Trim().ToLowerInvariant();
        Device device = deviceText switch
        {
            "auto" or "" => hasCuda ? new Device(TorchSharp.DeviceType.CUDA, 0) : CPU,
            "cpu" => CPU,
            _ when deviceText == "cuda" || deviceText.StartsWith("cuda:", StringComparison.Ordinal) =>
                hasCuda
                    ? new Device(deviceText)
                    : throw new InvalidOperationException(
                        $"device '{options.Device}' was requested, but this libtorch build has no usable CUDA " +
                        "(install a CUDA build of TorchSharp's native libraries; see docs/wan.md)"),
            _ => throw new ArgumentException($"unknown device '{options.Device}' (auto, cpu, cuda, cuda:N)", nameof(options)),
        };

        bool onCuda = device.type == TorchSharp.DeviceType.CUDA;
        ScalarType dtype = options.DType.Trim().ToLowerInvariant() switch
        {
            "auto" or "" => onCuda ? ScalarType.BFloat16 : ScalarType.Float32,
            "float32" or "fp32" or "f32" => ScalarType.Float32,
            "bfloat16" or "bf16" => ScalarType.BFloat16,
            _ => throw new ArgumentException($"unknown dtype '{options.DType}' (auto, float32, bfloat16)", nameof(options)),
        };

        if (options.CpuThreads is { } threads && threads < 1)
        {
            throw new ArgumentException("CpuThreads must be at least 1", nameof(options));
        }

        return new WanRuntime(device, dtype, options.AllowTf32, options.CpuThreads);
    }

    /// <summary>Sets the process-wide libtorch switches (TF32, CPU threads). Call once before running models.</summary>
    public void Apply()
    {
        backends.cuda.matmul.allow_tf32 = AllowTf32;
        backends.cudnn.allow_tf32 = AllowTf32;
        if (CpuThreads is { } threads)
        {
            set_num_threads(threads);
        }
    }
}
