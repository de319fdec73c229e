using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Vae;
using static TorchSharp.torch;

namespace Reframe.Bench.Wan;

/// <summary>
/// Encode and decode of the kit's tiny Wan2.1 VAE (base width 4, the real topology) on CPU, median of N runs after
/// a warm-up, for the kit's clip size and a larger one. Side by side in the same run: float32 (the parity dtype)
/// against bfloat16 (the production dtype on GPU), so later changes to the VAE can be compared.
/// </summary>
internal static class VaeBenchmark
{
    public static void Run(int iterations)
    {
        string weights = Path.Combine(KitPaths.Directory, "vae", "weights_dim4", "Wan2.1_VAE.safetensors");
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine($"tiny Wan2.1 VAE (dim 4) from {Path.GetFileName(weights)}; {get_num_threads()} CPU threads; median of {iterations} after 1 warm-up");
        foreach (var (frames, height, width) in new[] { (9, 64, 64), (17, 64, 96) })
        {
            Console.WriteLine($"== video 1x3x{frames}x{height}x{width} ==");
            double f32Encode = 0, f32Decode = 0, f32EncodeCpu = 0, f32DecodeCpu = 0;
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
            {
                using var vae = new WanVae(new WanVaeConfig { Dim = 4 }, new ModuleInit(dtype, CPU));
                StrictStateDictLoader.Load(vae, weights);
                using var scope = NewDisposeScope();
                var video = (rand([1, 3, frames, height, width], generator: new Generator(7)) * 2 - 1).to(dtype);
                var latents = vae.Encode(video);
                var (encode, encodeCpu) = Timing.Measure(() => vae.Encode(video).Dispose(), 1, iterations);
                var (decode, decodeCpu) = Timing.Measure(() => vae.Decode(latents).Dispose(), 1, iterations);
                Console.WriteLine($"{dtype,-9} encode {encode * 1e3,8:F1} ms wall, {encodeCpu * 1e3,8:F1} ms CPU   decode {decode * 1e3,8:F1} ms wall, {decodeCpu * 1e3,8:F1} ms CPU");
                if (dtype == ScalarType.Float32)
                {
                    (f32Encode, f32Decode, f32EncodeCpu, f32DecodeCpu) = (encode, decode, encodeCpu, decodeCpu);
                }
                else
                {
                    Console.WriteLine($"ratio bf16/f32: encode {encode / f32Encode:F2} wall, {encodeCpu / f32EncodeCpu:F2} CPU; decode {decode / f32Decode:F2} wall, {decodeCpu / f32DecodeCpu:F2} CPU");
                }
            }
        }

        // On a shared machine the process may get far less than its threads: say how much CPU it actually had.
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine($"process CPU time / wall time: {cpuSeconds / wall.Elapsed.TotalSeconds:F2} cores busy on average");
    }
}
