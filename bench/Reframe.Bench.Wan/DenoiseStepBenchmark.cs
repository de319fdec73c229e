using System.Diagnostics;
using Reframe.Core.Requests;
using Reframe.Wan.Modules;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Schedulers;
using Reframe.Wan.Transformer;
using static TorchSharp.torch;

namespace Reframe.Bench.Wan;

/// <summary>
/// Seconds per denoising step of the tiny pipeline configuration on CPU (the kit's two tiny experts, CFG 5,
/// UniPC), measured through <see cref="ReframePipeline.Denoise"/>. Side by side in the same run: the shipped CFG
/// (two batch-1 expert calls, the reference's cfg_skip order, half the activation peak) against one batch-2 call
/// (the usual alternative), and the sampler step alone.
/// </summary>
internal static class DenoiseStepBenchmark
{
    public static void Run(int steps, (int F, int H, int W) latent)
    {
        var caseDirectory = Path.Combine(KitPaths.Directory, "pipeline", "v2v_mask_reframe_unipc6");
        using var high = ExpertCheckpoint.Load(Path.Combine(caseDirectory, "high_noise_model"), ModuleInit.CpuFloat32);
        using var low = ExpertCheckpoint.Load(Path.Combine(caseDirectory, "low_noise_model"), ModuleInit.CpuFloat32);
        var config = high.Config;
        var generator = new Generator(1);
        using var scope = NewDisposeScope();
        var latents = randn([1, 16, latent.F, latent.H, latent.W], generator: generator);
        var vace = randn([96, latent.F, latent.H, latent.W], generator: generator);
        var prompt = randn([9, config.TextDim], generator: generator);
        var negative = randn([14, config.TextDim], generator: generator);
        long tokens = (long)latent.F * latent.H / 2 * latent.W / 2;
        Console.WriteLine($"tiny experts: dim {config.Dim}, {config.NumLayers} layers + {config.VaceLayers.Length} VACE blocks; latent {latent.F}x{latent.H}x{latent.W} ({tokens} tokens); {get_num_threads()} CPU threads");

        var pipeline = new ReframePipeline(new ResidentExpertSource(high, low), new NoVae());
        var settings = new SamplingSettings(steps, GuidanceScale: 5, Shift: 12, Sampler.UniPC);
        pipeline.Denoise(latents, vace, prompt, negative, settings with { Steps = 2 }, null, CancellationToken.None).Dispose(); // warm-up

        // Wall time and this process's CPU time: on a shared machine the CPU time is the steadier figure.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var timer = Stopwatch.StartNew();
        pipeline.Denoise(latents, vace, prompt, negative, settings, null, CancellationToken.None).Dispose();
        double shipped = timer.Elapsed.TotalSeconds / steps;
        double shippedCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / steps;

        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        double batched = BatchedCfgStep(high, latents, vace, prompt, negative, steps);
        double batchedCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / steps;
        double sampler = SamplerStep(latents, steps);

        Console.WriteLine($"denoise step (CFG as two batch-1 calls, shipped): {shipped * 1e3:F2} ms wall, {shippedCpu * 1e3:F2} ms CPU");
        Console.WriteLine($"denoise step (CFG as one batch-2 call, alternative): {batched * 1e3:F2} ms wall, {batchedCpu * 1e3:F2} ms CPU");
        Console.WriteLine($"ratio shipped / alternative: {shipped / batched:F2} wall, {shippedCpu / batchedCpu:F2} CPU");
        Console.WriteLine($"sampler step alone (UniPC): {sampler * 1e6:F0} us ({100 * sampler / shipped:F2}% of a step)");
    }

    private static double BatchedCfgStep(VaceWanTransformer expert, Tensor latents, Tensor vace, Tensor prompt, Tensor negative, int steps)
    {
        using var noGrad = no_grad();
        using var scheduler = new FlowUniPcScheduler(steps, 12);
        var current = latents.alias();
        var timer = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            using var stepScope = NewDisposeScope();
            var x = cat([current, current]);                                              // [2, 16, f, h, w]
            var t = full([2], scheduler.Timesteps[i], ScalarType.Float64);
            var context = vace.unsqueeze(0).expand(2, -1, -1, -1, -1);
            var both = expert.Forward(x, t, context, [negative, prompt], 1.0);             // [2, 16, f, h, w]
            var guided = both[0..1] + 5 * (both[1..2] - both[0..1]);
            var next = scheduler.Step(guided, current);
            current.Dispose();
            current = next.MoveToOuterDisposeScope();
        }

        double seconds = timer.Elapsed.TotalSeconds / steps;
        current.Dispose();
        return seconds;
    }

    private static double SamplerStep(Tensor latents, int steps)
    {
        using var scheduler = new FlowUniPcScheduler(steps, 12);
        using var velocity = randn_like(latents);
        var current = latents.alias();
        var timer = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            var next = scheduler.Step(velocity, current);
            current.Dispose();
            current = next;
        }

        double seconds = timer.Elapsed.TotalSeconds / steps;
        current.Dispose();
        return seconds;
    }

    private sealed class NoVae : IWanVae
    {
        public Tensor Encode(Tensor video) => throw new InvalidOperationException("the loop does not encode");
        public Tensor Decode(Tensor latents) => throw new InvalidOperationException("the loop does not decode");
    }
}
