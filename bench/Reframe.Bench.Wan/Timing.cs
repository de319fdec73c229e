using System.Diagnostics;

namespace Reframe.Bench.Wan;

/// <summary>
/// Warm-up runs, then the median of N timed runs (robust to one slow outlier on a shared machine), as wall time
/// and as process CPU time: on a loaded machine the wall time mostly measures the waiting, the CPU time less so.
/// </summary>
internal static class Timing
{
    public static double MedianSeconds(Action run, int warmup, int iterations) => Measure(run, warmup, iterations).Wall;

    public static (double Wall, double Cpu) Measure(Action run, int warmup, int iterations)
    {
        for (int i = 0; i < warmup; i++)
        {
            run();
        }

        var process = Process.GetCurrentProcess();
        var wall = new double[iterations];
        var cpu = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var timer = Stopwatch.StartNew();
            run();
            wall[i] = timer.Elapsed.TotalSeconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        }

        return (Median(wall), Median(cpu));
    }

    private static double Median(double[] samples)
    {
        Array.Sort(samples);
        int n = samples.Length;
        return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    }
}
