using Reframe.Media.Sources;

namespace Reframe.Media.Tests.Sources;

public sealed class FetchSettingsTests
{
    [Fact]
    public void FromEnvironment_ReadsEveryVariable_WhenSet()
    {
        var variables = new Dictionary<string, string>
        {
            [FetchSettings.AllowPrivateUrlsVariable] = "true",
            [FetchSettings.MaxDownloadBytesVariable] = "1000",
            [FetchSettings.DownloadTimeoutVariable] = "7",
            [FetchSettings.MaxDataUriBytesVariable] = "2000",
            [FetchSettings.MaxRedirectsVariable] = "2",
        };

        var settings = FetchSettings.FromEnvironment(name => variables.GetValueOrDefault(name));

        Assert.Equal(new FetchSettings
        {
            AllowPrivateUrls = true, MaxDownloadBytes = 1000, DownloadTimeout = TimeSpan.FromSeconds(7),
            MaxDataUriBytes = 2000, MaxRedirects = 2,
        }, settings);
    }

    [Fact]
    public void FromEnvironment_KeepsGuardOn_WhenNothingIsSet()
    {
        var settings = FetchSettings.FromEnvironment(_ => null);

        Assert.False(settings.AllowPrivateUrls);
        Assert.Same(NetworkAddressPolicy.PublicOnly, NetworkAddressPolicy.From(settings));
    }

    [Theory]
    [InlineData(FetchSettings.AllowPrivateUrlsVariable, "maybe")]
    [InlineData(FetchSettings.MaxDownloadBytesVariable, "-1")]
    [InlineData(FetchSettings.DownloadTimeoutVariable, "ten")]
    public void FromEnvironment_Throws_WhenValueIsMalformed(string name, string value) =>
        Assert.Throws<Reframe.Core.Configuration.SettingException>(() => FetchSettings.FromEnvironment(n => n == name ? value : null));
}
