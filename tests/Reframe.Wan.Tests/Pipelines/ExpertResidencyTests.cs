using Reframe.Wan.Pipelines;
using Reframe.Wan.Transformer;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Pipelines;

public class ExpertResidencyTests
{
    [Theory]
    [InlineData(999, ExpertKind.HighNoise)]
    [InlineData(875, ExpertKind.HighNoise)] // inclusive, on the integer timestep
    [InlineData(874.99, ExpertKind.LowNoise)]
    [InlineData(705, ExpertKind.LowNoise)]
    public void ExpertSwitch_PicksHighNoiseWhileTimestepIsAtLeast875(double timestep, ExpertKind expected) =>
        Assert.Equal(expected, ExpertSwitch.ForTimestep(timestep));

    [Fact]
    public void SwappingExpertSource_KeepsOneExpertAlive_DisposingBeforeLoading()
    {
        var config = new WanTransformerConfig([1, 2, 2], TextLen: 4, InDim: 16, Dim: 16, FfnDim: 32, FreqDim: 256,
            TextDim: 8, OutDim: 16, NumHeads: 2, NumLayers: 2, Eps: 1e-6, VaceLayers: [0], VaceInDim: 96);
        var loaded = new List<(ExpertKind Kind, VaceWanTransformer Expert)>();
        using var source = new SwappingExpertSource(kind =>
        {
            // Whatever was handed out before must already be freed.
            Assert.All(loaded, previous => Assert.True(previous.Expert.parameters().All(p => p.IsInvalid)));
            var expert = new VaceWanTransformer(config, CPU, ScalarType.Float32);
            loaded.Add((kind, expert));
            return expert;
        });

        var first = source.Get(ExpertKind.HighNoise);
        Assert.Same(first, source.Get(ExpertKind.HighNoise));
        var second = source.Get(ExpertKind.LowNoise);

        Assert.NotSame(first, second);
        Assert.Equal(2, source.Loads);
        Assert.Equal([ExpertKind.HighNoise, ExpertKind.LowNoise], loaded.Select(l => l.Kind));
        Assert.DoesNotContain(second.parameters(), p => p.IsInvalid);
    }
}
