using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Reframe.Wan.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Reframe.Bench.Wan;

/// <summary>
/// Reading every tensor of a safetensors file of the given size into libtorch tensors: our memory-mapped
/// <see cref="SafetensorsFile"/> (one tensor at a time, each disposed before the next, as the strict loader works)
/// against <c>TorchSharp.PyBridge</c>'s <c>Safetensors.LoadStateDict</c> (the alternative on NuGet), side by side:
/// seconds, peak private (anonymous) resident memory and managed bytes allocated. The file (32 MB float32 tensors) is written to the temp folder and deleted.
/// </summary>
internal static class CheckpointBenchmark
{
    public static void Run(int megabytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"reframe-bench-{Environment.ProcessId}.safetensors");
        try
        {
            int tensors = Math.Max(1, megabytes / 32);
            Write(path, tensors, 8L << 20);
            Console.WriteLine($"{tensors} float32 tensors of 32 MB ({new FileInfo(path).Length / 1e6:F0} MB file), page cache warm after one read");
            ReadOurs(path); // warm the page cache so both readers see the same state

            var (ourSeconds, ourBytes, ourPeak) = Measure(() => ReadOurs(path));
            var (pySeconds, pyBytes, pyPeak) = Measure(() =>
            {
                var all = Safetensors.LoadStateDict(path);
                foreach (var t in all.Values)
                {
                    t.Dispose();
                }
            });
            Console.WriteLine($"SafetensorsFile (mmap, per tensor): {ourSeconds:F3} s, peak private memory +{ourPeak / 1e6,7:F0} MB, managed allocations {ourBytes / 1e6:F1} MB");
            Console.WriteLine($"PyBridge LoadStateDict:             {pySeconds:F3} s, peak private memory +{pyPeak / 1e6,7:F0} MB, managed allocations {pyBytes / 1e6:F1} MB");
            Console.WriteLine($"ratio ours/PyBridge: time {ourSeconds / pySeconds:F2}, peak private memory {ourPeak / Math.Max(1.0, pyPeak):F3}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void ReadOurs(string path)
    {
        using var file = SafetensorsFile.Open(path);
        foreach (string name in file.Tensors.Keys)
        {
            file.ReadTensor(name).Dispose();
        }
    }

    private static (double Seconds, long ManagedBytes, long PeakAnonBytes) Measure(Action action)
    {
        GC.Collect();
        long baseline = AnonymousBytes();
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        // Private (anonymous) resident memory, sampled every 2 ms: the mapped file's pages are page cache, shared
        // and reclaimable, and show up as RssFile instead.
        var sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                long now = AnonymousBytes();
                if (now > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, now);
                }

                Thread.Sleep(2);
            }
        });
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        action();
        double seconds = timer.Elapsed.TotalSeconds;
        long managed = GC.GetTotalAllocatedBytes(precise: true) - before;
        stop.Cancel();
        sampler.Wait();
        return (seconds, managed, Math.Max(0, Interlocked.Read(ref peak) - baseline));
    }

    private static long AnonymousBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static void Write(string path, int tensors, long elements)
    {
        var header = new Dictionary<string, object>();
        for (int i = 0; i < tensors; i++)
        {
            long start = i * elements * 4;
            header[$"layer.{i}.weight"] = new { dtype = "F32", shape = new[] { elements / 1024, 1024 }, data_offsets = new[] { start, start + elements * 4 } };
        }

        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        var block = new byte[1 << 20];
        new Random(3).NextBytes(block);
        for (long written = 0; written < tensors * elements * 4; written += block.Length)
        {
            stream.Write(block);
        }
    }
}
