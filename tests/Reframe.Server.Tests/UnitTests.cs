using Reframe.Server.Auth;
using Reframe.Server.Tasks;

namespace Reframe.Server.Tests;

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

public sealed class GenerationIdsTests
{
    [Fact]
    public void Format_AndTryParse_RoundTrip()
    {
        var id = Guid.NewGuid();
        var text = GenerationIds.Format(id);
        Assert.Equal($"{id}:alibaba/wan2.2-vace-fun-a14b-reframe", text);
        Assert.True(GenerationIds.TryParse(text, out var back));
        Assert.Equal(id, back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("b5592d70-dd31-4e5a-bc5c-5063660c001b")]
    [InlineData("b5592d70-dd31-4e5a-bc5c-5063660c001b:alibaba/other-model")]
    [InlineData("not-a-uuid-at-all-but-36-chars-long!:alibaba/wan2.2-vace-fun-a14b-reframe")]
    [InlineData(" b5592d70-dd31-4e5a-bc5c-5063660c001b:alibaba/wan2.2-vace-fun-a14b-reframe")]
    public void TryParse_Refuses_WhenTheIdIsMalformed(string? text) => Assert.False(GenerationIds.TryParse(text, out _));
}

public sealed class ApiKeyRingTests
{
    [Fact]
    public void Authenticate_ReturnsOwner_OnlyForAnAcceptedKey()
    {
        var ring = new ApiKeyRing([ApiKeyRing.Hash("key-one"), ApiKeyRing.Hash("key-two")]);
        var one = ring.Authenticate("key-one");
        var two = ring.Authenticate("key-two");
        Assert.NotNull(one);
        Assert.NotNull(two);
        Assert.NotEqual(one, two);
        Assert.Null(ring.Authenticate("key-one "));
        Assert.Null(ring.Authenticate("KEY-ONE"));
        Assert.Null(ring.Authenticate(""));
        Assert.Null(ring.Authenticate(new string('k', 10_000)));
    }

    [Fact]
    public void KeysFile_HoldsOnlyTheHash_OfACreatedKey()
    {
        var dir = Path.Combine(Path.GetTempPath(), "reframe-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, ApiKeyFile.FileName);
            var key = ApiKeyFile.CreateKey(path, "test");
            var text = File.ReadAllText(path);
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            var ring = new ApiKeyRing(ApiKeyFile.Read(path));
            Assert.NotNull(ring.Authenticate(key));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
