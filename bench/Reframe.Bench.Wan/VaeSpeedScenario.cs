using System.Globalization;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Modules.Cpu;
using Reframe.Wan.Vae;
using static TorchSharp.torch;

namespace Reframe.Bench.Wan;

/// <summary>
/// VAE encode and decode at 832x480 on the CPU, float32: the previous path (libtorch's conv3d and normalize as they
/// are) against ours (<see cref="Convolutions"/>: few-channel conv3d as conv2d over channels-last frames, the guard;
/// the RMS norm without normalize), in one run, same weights, same input. The tiny width-4 VAE (the kit's weights)
/// at 17 frames of 832x480 (median of 3), the real width (96, random weights: speed only) at 5 frames of 416x240 (one
/// timed run each: a pass takes minutes on two cores). Also the output difference, which must be float rounding.
/// </summary>
internal static class VaeSpeedScenario
{
    public const string Name = "vae-speed";

    public static void Run(TextWriter output, int threads)
    {
        set_num_threads(threads);
        output.WriteLine($"VAE encode/decode, float32, {threads} libtorch thread(s), after a warm-up; wall s (CPU s)");
        output.WriteLine("| VAE | clip | pass | before | after | after / before | output rel-L2 |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        Measure(output, 4, 17, 480, 832, 3, Path.Combine(KitPaths.Directory, "vae", "weights_dim4", "Wan2.1_VAE.safetensors"));
        Measure(output, 96, 5, 240, 416, 1, null);
    }

    private static void Measure(TextWriter output, int dim, int frames, int height, int width, int iterations, string? weights)
    {
        using var vae = new WanVae(WanVaeConfig.Wan21 with { Dim = dim }, new ModuleInit(ScalarType.Float32, CPU));
        using (var noGrad = no_grad())
        {
            if (weights is not null)
            {
                StrictStateDictLoader.Load(vae, weights);
            }
            else
            {
                using var generator = new Generator(96);
                foreach (var (name, p) in vae.named_parameters())
                {
                    p.copy_(name.EndsWith("gamma", StringComparison.Ordinal) ? ones_like(p) : randn(p.shape, generator: generator) / Math.Sqrt(p[0].numel()));
                }
            }
        }

        using var scope = NewDisposeScope();
        using var noGrad2 = no_grad();
        var video = rand([1, 3, frames, height, width], generator: new Generator(7)) * 2 - 1;
        var latents = vae.Encode(video);
        string label = weights is null ? $"width {dim} (random)" : $"width {dim} (kit)";
        foreach (var pass in new[] { "encode", "decode" })
        {
            Func<Tensor> run = pass == "encode" ? () => vae.Encode(video) : () => vae.Decode(latents);
            var (before, beforeOut) = Time(run, iterations, previous: true);
            var (after, afterOut) = Time(run, iterations, previous: false);
            double difference = ((afterOut - beforeOut).norm() / beforeOut.norm()).item<float>();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {frames}x{width}x{height} | {pass} | {before.Wall:F2} ({before.Cpu:F2}) | {after.Wall:F2} ({after.Cpu:F2}) | {after.Wall / before.Wall:F2} | {difference:E1} |"));
        }
    }

    private static ((double Wall, double Cpu) Time, Tensor Output) Time(Func<Tensor> run, int iterations, bool previous)
    {
        using var path = previous ? CpuKernels.UseLibTorchOnly() : null;
        var result = run();                                              // warm-up, and the output to compare
        var timing = Timing.Measure(() => run().Dispose(), 0, iterations);
        return (timing, result);
    }
}
