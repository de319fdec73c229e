using Reframe.Core.Requests;

namespace Reframe.Core.Tests;

public class WireNamesTests
{
    [Fact]
    public void Of_RoundTripsEveryEnumValue()
    {
        foreach (var v in Enum.GetValues<Sampler>()) Assert.Equal(v, WireNames.Samplers[WireNames.Of(v)]);
        foreach (var v in Enum.GetValues<Resolution>()) Assert.Equal(v, WireNames.Resolutions[WireNames.Of(v)]);
        foreach (var v in Enum.GetValues<AspectRatio>()) Assert.Equal(v, WireNames.AspectRatios[WireNames.Of(v)]);
        foreach (var v in Enum.GetValues<Acceleration>()) Assert.Equal(v, WireNames.Accelerations[WireNames.Of(v)]);
        foreach (var v in Enum.GetValues<VideoQuality>()) Assert.Equal(v, WireNames.VideoQualities[WireNames.Of(v)]);
        foreach (var v in Enum.GetValues<VideoWriteMode>()) Assert.Equal(v, WireNames.VideoWriteModes[WireNames.Of(v)]);
        foreach (var v in Enum.GetValues<InterpolatorModel>()) Assert.Equal(v, WireNames.InterpolatorModels[WireNames.Of(v)]);
    }

    [Fact]
    public void Sampler_UsesTheFalSpellingOfDpmPlusPlus()
    {
        Assert.Equal("dpm++", WireNames.Of(Sampler.DpmPlusPlus));
    }
}
