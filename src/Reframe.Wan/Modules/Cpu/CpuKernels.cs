using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules.Cpu;

/// <summary>The register width a CPU kernel is compiled for.</summary>
internal enum SimdWidth
{
    Bits128 = 128,
    Bits256 = 256,
    Bits512 = 512,
}

/// <summary>
/// What the hand-written CPU kernels (<see cref="DirectConvolution"/>, <see cref="RmsNormSilu"/>) share: the register
/// width, the thread budget (libtorch's, so one setting governs both), and the switch back to libtorch alone.
/// </summary>
internal static class CpuKernels
{
    private static readonly AsyncLocal<bool> LibTorchOnlyHere = new();
    private static readonly AsyncLocal<SimdWidth?> WidthHere = new();
    private static readonly AsyncLocal<int?> ThreadsHere = new();

    /// <summary>The widest width this CPU runs natively (the JIT reports Vector512 as not accelerated where it throttles).</summary>
    public static SimdWidth Widest { get; } =
        Vector512.IsHardwareAccelerated ? SimdWidth.Bits512 : Vector256.IsHardwareAccelerated ? SimdWidth.Bits256 : SimdWidth.Bits128;

    /// <summary>The width the kernels use on this call path (<see cref="Widest"/> unless a test pinned another).</summary>
    public static SimdWidth Width => WidthHere.Value ?? Widest;

    /// <summary>
    /// True where the caller asked for libtorch's kernels only: the path before these kernels existed, which the
    /// benchmarks time against and the parity tests also run. Flows with the async context, so concurrent tests do not
    /// see each other's choice.
    /// </summary>
    public static bool LibTorchOnly => LibTorchOnlyHere.Value;

    /// <summary>Benchmarks and tests: libtorch only until disposed.</summary>
    public static IDisposable UseLibTorchOnly() => new Restore<bool>(LibTorchOnlyHere, true);

    /// <summary>Tests: the kernels compiled for <paramref name="width"/> (they run, slowly, even where it is not native).</summary>
    public static IDisposable UseWidth(SimdWidth width) => new Restore<SimdWidth?>(WidthHere, width);

    /// <summary>Tests: split the work <paramref name="threads"/> ways whatever libtorch's setting (the split itself is under test).</summary>
    public static IDisposable UseThreads(int threads) => new Restore<int?>(ThreadsHere, threads);

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="count"/>) split into contiguous ranges, on as many threads as
    /// libtorch has (inline when that is one). There are 8 ranges per thread, taken as threads come free: on a loaded
    /// machine one thread is often descheduled, and with one range each the other would wait for it to run again
    /// (measured on the shared 2-core machine: 2 threads were 2.5x slower than 1 with equal ranges).
    /// </summary>
    public static void For(long count, Action<long, long> body)
    {
        int threads = (int)Math.Min(Math.Max(1, ThreadsHere.Value ?? get_num_threads()), Math.Max(1, count));
        if (threads == 1)
        {
            body(0, count);
            return;
        }

        int ranges = (int)Math.Min(count, 8L * threads);
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = threads },
            range => body(count * range / ranges, count * (range + 1) / ranges));
    }

    private sealed class Restore<T> : IDisposable
    {
        private readonly AsyncLocal<T> _slot;
        private readonly T? _previous;

        public Restore(AsyncLocal<T> slot, T value)
        {
            _slot = slot;
            _previous = slot.Value;
            slot.Value = value;
        }

        public void Dispose() => _slot.Value = _previous!;
    }
}
