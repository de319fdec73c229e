using Reframe.Wan.Pipelines;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Pipelines;

public class WindowStitchingTests
{
    [Fact]
    public void MatchColours_GivesTheWindowsOwnFramesThePreviousWindowsMeanAndSpread_InTheGeneratedAreaOnly()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var previous = rand([1, 3, 4, 8, 8], generator: generator) * 0.5 + 0.25;               // [1, 3, 4, 8, 8]
        // The new window retells the overlap (4 frames), then generates brighter and flatter frames.
        var window = cat([previous, rand([1, 3, 5, 8, 8], generator: generator) * 0.3 + 0.6], 2);
        var area = ones([1, 1, 1, 8, 8]);
        area[.., .., .., 2..6, 2..6] = 0;                                                        // a kept square

        var matched = WindowStitching.MatchColours(window, 4, WindowStitching.ColourStats(previous, area), area);

        var inArea = area.expand(1, 3, 4, 8, 8).to_type(ScalarType.Bool);
        var before = previous.masked_select(inArea);
        var after = matched.narrow(2, 4, 5).masked_select(area.expand(1, 3, 5, 8, 8).to_type(ScalarType.Bool));
        Assert.True((before.mean() - after.mean()).abs().item<float>() < 1e-3);
        Assert.True((before.std() - after.std()).abs().item<float>() < 2e-3);
        // Outside the generated area nothing changes.
        var kept = matched[.., .., .., 2..6, 2..6];
        Assert.Equal(0, (kept - window[.., .., .., 2..6, 2..6]).abs().max().item<float>());
    }

    [Fact]
    public void MatchColours_Chained_TakesOutADriftThatGrowsWindowAfterWindow()
    {
        // Four windows of the same content, each 0.04 brighter than the last (a model's colour wander): chained
        // matching leaves every window with the first one's colour.
        using var scope = NewDisposeScope();
        var content = rand([1, 3, 9, 8, 8], generator: new Generator(9)) * 0.5 + 0.2;
        var area = ones([1, 1, 1, 8, 8]);
        var target = WindowStitching.ColourStats(content.narrow(2, 2, 7), area);
        for (int w = 1; w < 4; w++)
        {
            var drifted = (content + 0.04 * w).clamp(0, 1);
            var matched = WindowStitching.MatchColours(drifted, 2, target, area);
            Assert.True((matched.mean() - content.mean()).abs().item<float>() < 1e-4, $"window {w}");
            target = WindowStitching.ColourStats(matched.narrow(2, 2, 7), area);
        }
    }

    [Fact]
    public void BlendOverlap_CrossFadesLinearly_AndLeavesTheRestAlone()
    {
        using var scope = NewDisposeScope();
        var previous = zeros([1, 3, 3, 2, 2]);
        var window = ones([1, 3, 7, 2, 2]);

        var blended = WindowStitching.BlendOverlap(window, previous);

        Assert.Equal([0.25f, 0.5f, 0.75f, 1f, 1f, 1f, 1f], Enumerable.Range(0, 7).Select(t => blended[0, 0, t, 0, 0].item<float>()));
    }
}
