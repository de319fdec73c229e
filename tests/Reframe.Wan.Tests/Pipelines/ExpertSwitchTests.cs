using Reframe.Wan.Pipelines;

namespace Reframe.Wan.Tests.Pipelines;

public class ExpertSwitchTests
{
    [Theory]
    [InlineData(999, ExpertKind.HighNoise)]
    [InlineData(875, ExpertKind.HighNoise)] // inclusive, on the integer timestep
    [InlineData(874.99, ExpertKind.LowNoise)]
    [InlineData(705, ExpertKind.LowNoise)]
    public void ExpertSwitch_PicksHighNoiseWhileTimestepIsAtLeast875(double timestep, ExpertKind expected) =>
        Assert.Equal(expected, ExpertSwitch.ForTimestep(timestep));
}
