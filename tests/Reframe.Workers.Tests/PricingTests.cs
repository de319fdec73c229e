namespace Reframe.Workers.Tests;

public sealed class PricingTests
{
    [Theory]
    [InlineData(16, "480p", 100_000)]      // one billed second at $0.05 = 100,000 credits
    [InlineData(81, "480p", 506_250)]
    [InlineData(16, "580p", 150_000)]
    [InlineData(16, "720p", 200_000)]
    [InlineData(241, "720p", 3_012_500)]
    [InlineData(0, "480p", 0)]
    public void Credits_FollowsTheContractPricing(int frames, string tier, long credits) =>
        Assert.Equal(credits, Pricing.Credits(frames, tier));
}
