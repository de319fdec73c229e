using Reframe.Wan.Engine;

namespace Reframe.Wan.Tests.Engine;

public class WanCostModelTests
{
    [Theory]
    [InlineData(832, 480, 32_760, 0.958e15, 1.072e15)]   // ARCHITECTURE.md 8.2
    [InlineData(1280, 720, 75_600, 2.208e15, 5.657e15)]
    public void ForwardFlops_AreTheSpecificationsCount(int width, int height, long tokens, double gemm, double attention)
    {
        Assert.Equal(tokens, WanCostModel.Tokens(81, width, height));
        var (g, a) = WanCostModel.ForwardFlops(tokens);
        Assert.InRange(g / gemm, 0.995, 1.005);
        Assert.InRange(a / attention, 0.995, 1.005);
    }

    [Fact]
    public void TaskSeconds_For81FramesAt480p_IsTheSpecificationsEstimate()
    {
        // 3.75 s per forward, 7.5 s per CFG step: about 225 s of denoising for 30 steps, plus a few seconds of VAE.
        double seconds = WanCostModel.TaskSeconds(81, 832, 480, 30, guidance: true, WanCostModel.Rates.H100);
        Assert.InRange(seconds, 225, 232);
    }

    [Fact]
    public void LongClips_CostWindowsNotTheSquareOfTheirLength()
    {
        double one = WanCostModel.TaskSeconds(81, 832, 480, 30, true, WanCostModel.Rates.H100);
        double three = WanCostModel.TaskSeconds(241, 832, 480, 30, true, WanCostModel.Rates.H100);
        Assert.InRange(three / one, 3.0, 3.6); // four windows, the last a short one
    }
}
