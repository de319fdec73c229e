using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Vae;
using static TorchSharp.torch;

namespace Reframe.Bench.Wan;

/// <summary>
/// Encode and decode of the kit's tiny Wan2.1 VAE (base width 4, the real topology) on CPU, median of N runs after
/// a warm-up, for the kit's clip size and a longer one. Side by side in the same run: float32 (the parity dtype)
/// against bfloat16 (the GPU dtype), each with one libtorch thread and with libtorch's default thread count,
/// because on a loaded machine the OpenMP barriers of a multi-threaded run can cost far more than they gain.
/// </summary>
internal static class VaeBenchmark
{
    public static void Run(int iterations)
    {
        string weights = Path.Combine(KitPaths.Directory, "vae", "weights_dim4", "Wan2.1_VAE.safetensors");
        int defaultThreads = get_num_threads();
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine($"tiny Wan2.1 VAE (dim 4) from {Path.GetFileName(weights)}; median of {iterations} after 1 warm-up; wall ms (CPU ms)");
        foreach (var (frames, height, width) in new[] { (9, 64, 64), (17, 64, 96) })
        {
            Console.WriteLine($"== video 1x3x{frames}x{height}x{width} ==");
            var results = new Dictionary<(ScalarType, int), (double Encode, double Decode)>();
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
            {
                using var vae = new WanVae(new WanVaeConfig { Dim = 4 }, new ModuleInit(dtype, CPU));
                StrictStateDictLoader.Load(vae, weights);
                using var scope = NewDisposeScope();
                var video = (rand([1, 3, frames, height, width], generator: new Generator(7)) * 2 - 1).to(dtype);
                var latents = vae.Encode(video);
                foreach (int threads in new[] { 1, defaultThreads }.Distinct())
                {
                    set_num_threads(threads);
                    var (encode, encodeCpu) = Timing.Measure(() => vae.Encode(video).Dispose(), 1, iterations);
                    var (decode, decodeCpu) = Timing.Measure(() => vae.Decode(latents).Dispose(), 1, iterations);
                    results[(dtype, threads)] = (encode, decode);
                    Console.WriteLine($"{dtype,-9} {threads} thread(s): encode {encode * 1e3,8:F1} ({encodeCpu * 1e3,8:F1})   decode {decode * 1e3,8:F1} ({decodeCpu * 1e3,8:F1})");
                }
            }

            set_num_threads(defaultThreads);
            var f32 = results[(ScalarType.Float32, 1)];
            foreach (var ((dtype, threads), r) in results.Where(kv => kv.Key != (ScalarType.Float32, 1)))
            {
                Console.WriteLine($"ratio {dtype} {threads} thread(s) / Float32 1 thread: encode {r.Encode / f32.Encode:F2}, decode {r.Decode / f32.Decode:F2}");
            }
        }

        // On a shared machine the process may get far less than its threads: say how much CPU it actually had.
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine($"process CPU time / wall time: {cpuSeconds / wall.Elapsed.TotalSeconds:F2} cores busy on average; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }
}
