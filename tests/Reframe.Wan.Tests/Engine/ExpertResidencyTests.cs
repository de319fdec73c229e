using Reframe.Wan.Engine;
using Reframe.Wan.Modules;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Engine;

/// <summary>
/// The offload policies on the CPU (where host and device are the same memory, so a move is a no-op): which expert
/// the loop gets, how often the model policy swaps, and that streaming blocks brings every block in and out once
/// per forward without changing the result.
/// </summary>
public class ExpertResidencyTests
{
    private static readonly WanTransformerConfig Config = new([1, 2, 2], TextLen: 4, InDim: 16, Dim: 16, FfnDim: 32, FreqDim: 256,
        TextDim: 8, OutDim: 16, NumHeads: 2, NumLayers: 3, Eps: 1e-6, VaceLayers: [0, 2], VaceInDim: 96);

    [Fact]
    public void HostSwapped_HandsOutTheAskedExpert_SwappingOnlyWhenTheRoleChanges()
    {
        using var high = Expert(1);
        using var low = Expert(2);
        using var source = new HostSwappedExpertSource(high, low, CPU);

        Assert.Same(high, source.Get(ExpertKind.HighNoise));
        Assert.Same(high, source.Get(ExpertKind.HighNoise));
        Assert.Same(low, source.Get(ExpertKind.LowNoise));
        Assert.Same(low, source.Get(ExpertKind.LowNoise));
        Assert.Equal(2, source.Swaps);
        Assert.DoesNotContain(high.parameters(), p => p.IsInvalid);
        Assert.DoesNotContain(low.parameters(), p => p.IsInvalid);
    }

    [Fact]
    public void BlockStreamed_MovesEveryBlockInAndOutOncePerForward_WithTheSameResult()
    {
        using var high = Expert(3);
        using var low = Expert(4);
        using var scope = NewDisposeScope();
        var x = randn([1, 16, 2, 4, 4]);
        var context = randn([1, 96, 2, 4, 4]);
        var t = tensor(new[] { 900.0 });
        var text = randn([3, 8]);
        var plain = high.Forward(x, t, context, [text], 1.0);

        var counting = new CountingResidency();
        using (var streamed = new BlockStreamedExpertSource(high, low, CPU))
        {
            var expert = streamed.Get(ExpertKind.HighNoise);
            Assert.Same(high, expert);
            expert.BlockResidency = counting; // watch the calls the streamed source would make
            var result = expert.Forward(x, t, context, [text], 1.0);
            Assert.Equal(0, (result - plain).abs().max().item<float>());
        }

        Assert.Equal(Config.NumLayers + Config.VaceLayers.Length, counting.Entered);
        Assert.Equal(counting.Entered, counting.Exited);
        Assert.Null(high.BlockResidency);
    }

    private static VaceWanTransformer Expert(int seed)
    {
        manual_seed(seed);
        var expert = new VaceWanTransformer(Config, ModuleInit.CpuFloat32);
        using var noGrad = no_grad();
        foreach (var (_, p) in expert.named_parameters())
        {
            p.normal_(0, 0.05);
        }

        return expert;
    }

    private sealed class CountingResidency : IBlockResidency
    {
        public int Entered { get; private set; }

        public int Exited { get; private set; }

        public void Enter(nn.Module block) => Entered++;

        public void Exit(nn.Module block) => Exited++;
    }
}
