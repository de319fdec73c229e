using System.Runtime.InteropServices;

namespace Reframe.Bench.Media;

/// <summary>
/// CPU seconds (user + system) used by all reaped child processes of this process, and their descendants
/// (getrusage RUSAGE_CHILDREN). On a shared, loaded machine CPU time compares two pipelines more fairly than wall time.
/// </summary>
internal static partial class ChildrenCpu
{
    private const int RusageChildren = -1;

    public static double Seconds()
    {
        var usage = new long[18];
        if (GetRusage(RusageChildren, usage) != 0)
        {
            return double.NaN;
        }
        // struct rusage starts with two timevals: ru_utime {sec, usec}, ru_stime {sec, usec}.
        return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, [Out] long[] usage);
}
