using System.Text.RegularExpressions;
using Reframe.Core.Configuration;
using Reframe.Server.Tests.Infrastructure;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Configuration;

/// <summary>
/// docs/configuration.md promises that a malformed value stops start-up with a message naming the setting. Every
/// setting the document gives a numeric default is started with a value that is no number: the service must refuse to
/// start, naming it, whether or not the part that uses it is switched on. The list comes from the document, so a
/// setting added there is covered without editing this test.
/// </summary>
public sealed partial class WrongSettingTests
{
    public static TheoryData<string> NumericSettings()
    {
        var data = new TheoryData<string>();
        foreach (var setting in Numeric())
        {
            data.Add(setting);
        }

        return data;
    }

    [Fact]
    public void TheDocument_GivesNumericDefaultsToTheSettingsThisTestMustCover()
    {
        // Guards the scan: a pattern that matched nothing would let the theory below pass on no cases.
        var numeric = Numeric();
        Assert.Contains("REFRAME_WORKERS", numeric);
        Assert.Contains("REFRAME_WEBHOOK_BACKOFF_MS", numeric);
        Assert.Contains("REFRAME_WAN_WINDOW_FRAMES", numeric);
        Assert.True(numeric.Count >= 25, $"only {numeric.Count} numeric settings found");
    }

    [Theory]
    [MemberData(nameof(NumericSettings))]
    public async Task StartUp_IsRefusedNamingTheSetting_WhenItsValueIsNoNumber(string setting)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { [setting] = "not-a-number" });
        });
        Assert.True(error is SettingException or StartupException, $"{setting}: {error.GetType().Name}: {error.Message}");
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains("not-a-number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProcess_ExitsWithStatus1AndTheMessage_WhenASettingIsWrong()
    {
        var (exitCode, output) = await ChildServer.RunToExitAsync(
            new Dictionary<string, string?> { ["REFRAME_WEBHOOK_BACKOFF_MS"] = "-5" }, TimeSpan.FromSeconds(60));
        Assert.Equal(1, exitCode);
        Assert.Contains("Reframe cannot start: REFRAME_WEBHOOK_BACKOFF_MS='-5'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    private static List<string> Numeric() =>
        NumericRow().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "configuration.md")))
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>A table row whose first cell is one setting and whose default cell starts with a number in a code span.</summary>
    [GeneratedRegex(@"^\| `(REFRAME_[A-Z0-9_]+)` \| `-?[0-9][0-9.]*`", RegexOptions.Multiline)]
    private static partial Regex NumericRow();
}
