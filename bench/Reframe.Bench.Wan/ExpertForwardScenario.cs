using System.Globalization;
using Reframe.Wan.Modules;
using Reframe.Wan.Transformer;
using static TorchSharp.torch;

namespace Reframe.Bench.Wan;

/// <summary>
/// One forward of the kit's tiny expert (<c>transformer/weights_tiny_a</c>: dim 64, 4 layers + 2 VACE blocks, 4
/// heads) on the CPU in float32 at 72, 576 and 7,800 tokens, ms per forward (median after a warm-up). Printed as
/// <c>tokens ms</c> lines for <c>bench/wan-overhead/run.sh</c>, which runs the same forward in plain PyTorch
/// (<c>bench/gpu/wan_expert_forward.py tiny-speed</c>) beside it and prints the ratios: at small sizes the time is
/// per-operation overhead (ours through TorchSharp, theirs through Python), at large ones the kernels.
/// </summary>
internal static class ExpertForwardScenario
{
    public const string Name = "expert-forward";

    /// <summary>Latent grids (frames, height, width) and repeats: tokens = f * h/2 * w/2.</summary>
    public static readonly (int F, int H, int W, int Repeats)[] Grids = [(2, 12, 12, 40), (4, 24, 24, 15), (5, 60, 104, 3)];

    public static void Run(TextWriter output, int threads)
    {
        set_num_threads(threads);
        using var model = ExpertCheckpoint.Load(Path.Combine(KitPaths.Directory, "transformer", "weights_tiny_a"), ModuleInit.CpuFloat32);
        foreach (var (f, h, w, repeats) in Grids)
        {
            using var scope = NewDisposeScope();
            var generator = new Generator(3);
            var x = randn([1, 16, f, h, w], generator: generator);
            var vace = randn([1, 96, f, h, w], generator: generator);
            Tensor[] context = [randn([16, 32], generator: generator)];
            var t = tensor(new float[] { 500 });
            double seconds = Timing.MedianSeconds(() => model.Forward(x, t, vace, context, 1.0).Dispose(), 2, repeats);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{f * (h / 2) * (w / 2)} {seconds * 1000:F3}"));
        }
    }
}
