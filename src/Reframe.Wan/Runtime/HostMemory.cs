using System.Runtime.InteropServices;

namespace Reframe.Wan.Runtime;

/// <summary>
/// glibc's malloc settings for a process that runs the Wan engine on the CPU. libtorch allocates its CPU temporaries
/// with malloc; glibc's default raises its mmap threshold after every large free (up to 32 MiB), so the VAE's chunk-
/// sized temporaries (tens of MB) end up on the heap, which fragments and never shrinks: measured, the working set of
/// one 81-frame 832x480 VAE encode peaked at 3.3 GB and grew from task to task (2.6, 3.5, 4.0 GB over three
/// encode+decode rounds). A fixed threshold of 4 MiB keeps every large buffer an mmap of its own, returned on free:
/// peak 1.2-1.3 GB, flat across rounds. The price is page faults on fresh mappings, which huge pages
/// (<c>GLIBC_TUNABLES=glibc.malloc.hugetlb=1</c>, set by scripts/serve.sh) make cheap.
/// </summary>
public static class HostMemory
{
    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD in malloc.h
    private const int MmapThresholdBytes = 4 << 20;

    private static int _applied;

    /// <summary>Applies the setting once per process; returns a line for the log (or why it was not applied).</summary>
    public static string ApplyOnce()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return "host malloc: already set";
        }

        if (!OperatingSystem.IsLinux())
        {
            return "host malloc: left as it is (not Linux)";
        }

        try
        {
            return Mallopt(MmapThresholdParameter, MmapThresholdBytes) == 1
                ? $"host malloc: mmap threshold fixed at {MmapThresholdBytes >> 20} MiB (large CPU temporaries are returned on free)"
                : "host malloc: mallopt refused the mmap threshold; left as it is";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"host malloc: no glibc mallopt here ({e.GetType().Name}); left as it is";
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
