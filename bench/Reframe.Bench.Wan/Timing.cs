using System.Diagnostics;

namespace Reframe.Bench.Wan;

/// <summary>Warm-up runs, then the median of N timed runs (robust to one slow outlier on a shared machine).</summary>
internal static class Timing
{
    public static double MedianSeconds(Action run, int warmup, int iterations)
    {
        for (int i = 0; i < warmup; i++)
        {
            run();
        }

        var samples = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var timer = Stopwatch.StartNew();
            run();
            samples[i] = timer.Elapsed.TotalSeconds;
        }

        Array.Sort(samples);
        return iterations % 2 == 1 ? samples[iterations / 2] : (samples[iterations / 2 - 1] + samples[iterations / 2]) / 2;
    }
}
