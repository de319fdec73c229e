using System.Diagnostics;

namespace Reframe.Bench.Http;

/// <summary>Drives HTTP requests and records per-request latency (Stopwatch ticks).</summary>
internal static class LoadGenerator
{
    /// <summary>
    /// Closed loop: <paramref name="concurrency"/> callers each send the next request when the previous answers,
    /// for <paramref name="duration"/>. Measures the most the server can do.
    /// </summary>
    public static async Task<RunResult> ClosedLoopAsync(Func<Task<bool>> send, int concurrency, TimeSpan duration)
    {
        var latencies = new List<long>[concurrency];
        var failures = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<long>(1 << 16);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                var ok = await send().ConfigureAwait(false);
                mine.Add(Stopwatch.GetTimestamp() - t0);
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }))).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return RunResult.From(latencies.SelectMany(l => l).ToArray(), elapsed, failures);
    }

    /// <summary>
    /// Open loop at a fixed rate: request k is due at start + k/rate, whether or not earlier ones answered, and its
    /// latency counts from when it was due, so a stall shows up in the percentiles (no coordinated omission).
    /// <paramref name="senders"/> callers share the schedule round-robin, each sleeping until its next due time.
    /// </summary>
    public static async Task<RunResult> FixedRateAsync(Func<Task<bool>> send, int ratePerSecond, TimeSpan duration, int senders = 64)
    {
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new long[total];
        var failures = 0;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        long Due(int k) => start + (long)(k * (double)Stopwatch.Frequency / ratePerSecond);
        await Task.WhenAll(Enumerable.Range(0, senders).Select(j => Task.Run(async () =>
        {
            for (var k = j; k < total; k += senders)
            {
                var due = Due(k);
                var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (early > TimeSpan.Zero)
                {
                    await Task.Delay(early).ConfigureAwait(false);
                }
                var ok = await send().ConfigureAwait(false);
                latencies[k] = Stopwatch.GetTimestamp() - due;
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }))).ConfigureAwait(false);
        return RunResult.From(latencies, Stopwatch.GetElapsedTime(start), failures);
    }
}

internal sealed record RunResult(int Requests, int Failures, double PerSecond, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static RunResult From(long[] ticks, TimeSpan elapsed, int failures)
    {
        Array.Sort(ticks);
        double Ms(double q) => ticks.Length == 0 ? 0 : ticks[Math.Min(ticks.Length - 1, (int)(q * ticks.Length))] * 1000.0 / Stopwatch.Frequency;
        // Throughput counts answered-as-expected requests only: a refused request (e.g. a 429) is not work done.
        return new RunResult(ticks.Length, failures, (ticks.Length - failures) / elapsed.TotalSeconds, Ms(0.50), Ms(0.90), Ms(0.99),
            ticks.Length == 0 ? 0 : ticks[^1] * 1000.0 / Stopwatch.Frequency);
    }

    public override string ToString() =>
        $"{PerSecond,9:0} req/s  p50 {P50Ms,6:0.00} ms  p90 {P90Ms,6:0.00} ms  p99 {P99Ms,6:0.00} ms  max {MaxMs,7:0.00} ms  ({Requests} requests, {Failures} failed)";
}
