using Reframe.Wan.Modules;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Vae;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Vae;

public class CausalCacheTests
{
    private static void Randomise(TorchSharp.torch.nn.Module module, ulong seed)
    {
        var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (var (_, p) in module.named_parameters())
        {
            p.copy_(randn(p.shape, generator: generator) * 0.2);
        }
    }

    [Fact]
    public void CausalConv3d_ChunkedWithTheCache_EqualsTheWholeClip()
    {
        // Kit README item 10: carrying two frames of history between chunks equals one causal conv over the clip.
        using var conv = CausalConv3d.Kernel3(3, 5, ModuleInit.CpuFloat32);
        Randomise(conv, 1);
        using var scope = NewDisposeScope();
        var x = randn([2, 3, 9, 6, 7], generator: new Generator(2));
        var whole = conv.Forward(x);
        using var cache = new FeatureCache();
        var parts = new List<Tensor>();
        foreach (var (start, length) in new[] { (0L, 1L), (1L, 4L), (5L, 4L) })
        {
            cache.BeginChunk();
            parts.Add(conv.Forward(x.narrow(2, start, length), cache));
        }

        Assert.True(ParityKit.RelativeL2(cat(parts, 2), whole) < 1e-6);
        Assert.Equal(1, cache.SlotCount);
    }

    [Fact]
    public void Upsample3d_KeepsTheFirstLatentFrame_ThenDoublesFrames()
    {
        // Kit README item 12: frame 0 passes through ("Rep"), later frames become two frames each.
        using var resample = new Resample(8, ResampleMode.Upsample3d, ModuleInit.CpuFloat32);
        Randomise(resample, 3);
        using var scope = NewDisposeScope();
        using var cache = new FeatureCache();
        var frame = randn([1, 8, 1, 4, 4], generator: new Generator(4));
        cache.BeginChunk();
        var first = resample.Forward(frame, cache);
        cache.BeginChunk();
        var second = resample.Forward(frame, cache);
        Assert.Equal(new long[] { 1, 4, 1, 8, 8 }, first.shape);
        Assert.Equal(new long[] { 1, 4, 2, 8, 8 }, second.shape);
    }

    [Fact]
    public void Downsample3d_PassesTheFirstFrame_ThenHalvesTime()
    {
        // Kit README item 11: T = 1 + 4k -> 1 + 2k.
        using var resample = new Resample(4, ResampleMode.Downsample3d, ModuleInit.CpuFloat32);
        Randomise(resample, 5);
        using var scope = NewDisposeScope();
        using var cache = new FeatureCache();
        var x = randn([1, 4, 5, 8, 8], generator: new Generator(6));
        cache.BeginChunk();
        var first = resample.Forward(x.narrow(2, 0, 1), cache);
        cache.BeginChunk();
        var rest = resample.Forward(x.narrow(2, 1, 4), cache);
        Assert.Equal(1, first.shape[2]);
        Assert.Equal(2, rest.shape[2]);
        Assert.Equal(new long[] { 4, 4 }, first.shape[3..]);
    }
}
