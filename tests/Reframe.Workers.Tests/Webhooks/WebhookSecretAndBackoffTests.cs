using Reframe.Workers.Webhooks;
using Reframe.TestSupport;

namespace Reframe.Workers.Tests.Webhooks;

public sealed class WebhookSecretAndBackoffTests
{
    [Fact]
    public void Load_CreatesOwnerOnlySecretOnceAndReusesIt_WhenNoneIsConfigured()
    {
        var directory = TempPaths.NewDirectory("webhook-secret");

        var first = WebhookSecret.Load(null, directory);
        var second = WebhookSecret.Load("", directory);

        Assert.Equal(first, second);
        Assert.True(first.Length >= 32);
        var path = Path.Combine(directory, WebhookSecret.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        TempPaths.TryDelete(directory);
    }

    [Fact]
    public void Load_RefusesShortSecret_WhenConfigured()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WebhookSecret.Load("short", Path.GetTempPath()));

        Assert.Contains("REFRAME_WEBHOOK_SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackoffAfter_DoublesThenCaps()
    {
        var settings = new WebhookSettings { Secret = [1], FirstBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromSeconds(30) };

        Assert.Equal(
            [5, 10, 20, 30, 30],
            Enumerable.Range(1, 5).Select(attempt => settings.BackoffAfter(attempt).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.BackoffAfter(1000));
    }
}
