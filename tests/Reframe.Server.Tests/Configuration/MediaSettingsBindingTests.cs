using Microsoft.Extensions.Configuration;
using Reframe.Core.Requests;
using Reframe.Media;
using Reframe.Server.Configuration;

namespace Reframe.Server.Tests.Configuration;

public class MediaSettingsBindingTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void FromConfiguration_KeepsDefaults_WhenNothingIsSet()
    {
        var bound = MediaSettingsBinding.FromConfiguration(Config());
        var defaults = new MediaSettings();
        Assert.Equal(defaults.SeamPixels, bound.SeamPixels);
        Assert.Equal(defaults.CrfByQuality[VideoQuality.High], bound.CrfByQuality[VideoQuality.High]);
        Assert.Equal(defaults.AllowedContainerFormats, bound.AllowedContainerFormats);
        Assert.Equal("ffmpeg", bound.FfmpegPath);
    }

    [Fact]
    public void FromConfiguration_AppliesTunables_WhenTheMediaSectionSetsThem()
    {
        var bound = MediaSettingsBinding.FromConfiguration(Config(
            ("Media:SeamPixels", "12"),
            ("Media:CrfByQuality:High", "20"),
            ("Media:AllowedContainerFormats:0", "mov"),
            ("REFRAME_FFMPEG", "tools/ffmpeg")));
        Assert.Equal(12, bound.SeamPixels);
        Assert.Equal(20, bound.CrfByQuality[VideoQuality.High]);
        Assert.Equal(new MediaSettings().CrfByQuality[VideoQuality.Low], bound.CrfByQuality[VideoQuality.Low]);
        Assert.Equal(["mov"], bound.AllowedContainerFormats);
        Assert.Equal("tools/ffmpeg", bound.FfmpegPath);
    }
}
