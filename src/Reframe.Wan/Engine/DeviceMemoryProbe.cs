using System.Diagnostics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>
/// Measures the memory a generation holds, for the memory-plan log line. On CUDA it samples the device's used
/// memory (<c>cudaMemGetInfo</c>, total - free: what libtorch's caching allocator has reserved, which keeps the
/// peak of every step since nothing is returned to the driver between steps). On CPU it reads the process's peak
/// working set. TorchSharp exposes no allocator statistics, hence the driver call.
/// </summary>
public sealed class DeviceMemoryProbe
{
    private readonly Device _device;
    private long _peakBytes;

    public DeviceMemoryProbe(Device device)
    {
        _device = device;
        Sample();
    }

    /// <summary>The largest value seen by <see cref="Sample"/> (bytes), or -1 when it cannot be measured.</summary>
    public long PeakBytes => _peakBytes;

    /// <summary>The device's total memory in bytes, or null for the CPU (whose "device memory" is the host's).</summary>
    public static long? TotalBytes(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == TorchSharp.DeviceType.CUDA && CudaRuntime.TryMemGetInfo(out _, out long total) ? total : null;
    }

    public string What => _device.type == TorchSharp.DeviceType.CUDA ? "CUDA device memory in use (sampled after every step)" : "process peak working set";

    public void Sample()
    {
        long now = _device.type == TorchSharp.DeviceType.CUDA ? CudaUsedBytes() : Process.GetCurrentProcess().PeakWorkingSet64;
        if (now >= 0)
        {
            _peakBytes = Math.Max(_peakBytes, now);
        }
        else if (_peakBytes == 0)
        {
            _peakBytes = -1;
        }
    }

    private static long CudaUsedBytes()
    {
        if (!CudaRuntime.TryMemGetInfo(out long free, out long total))
        {
            return -1;
        }

        return total - free;
    }

    private static class CudaRuntime
    {
        private delegate int MemGetInfo(out nuint free, out nuint total);

        private static readonly Lazy<MemGetInfo?> Function = new(Load);

        public static bool TryMemGetInfo(out long free, out long total)
        {
            free = total = 0;
            var function = Function.Value;
            if (function is null || function(out var f, out var t) != 0)
            {
                return false;
            }

            free = (long)f;
            total = (long)t;
            return true;
        }

        private static MemGetInfo? Load()
        {
            foreach (var name in new[] { "libcudart.so", "libcudart.so.12", "libcudart.so.13", "cudart64_12.dll" })
            {
                if (NativeLibrary.TryLoad(name, out var handle) && NativeLibrary.TryGetExport(handle, "cudaMemGetInfo", out var address))
                {
                    return Marshal.GetDelegateForFunctionPointer<MemGetInfo>(address);
                }
            }

            return null;
        }
    }
}
