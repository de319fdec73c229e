using System.Text.RegularExpressions;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Configuration;

/// <summary>
/// Every <c>REFRAME_*</c> setting the code reads is documented, and every one documented is read: a setting added,
/// renamed or dropped in one place but not the other fails here, naming it.
/// </summary>
public sealed partial class DocumentedSettingsTests
{
    [Fact]
    public void EverySettingTheCodeReads_IsDocumented()
    {
        Assert.Empty(ReadByCode().Except(Documented()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EverySettingTheConfigurationDocumentNames_IsReadByTheCode()
    {
        Assert.Empty(Documented().Except(ReadByCode()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheScan_FindsTheSettingsItMustFind()
    {
        // Guards the two scans themselves: a pattern that matched nothing would make both tests above pass vacuously.
        Assert.Contains("REFRAME_DATA_DIR", ReadByCode());
        Assert.Contains("REFRAME_WAN_MODEL_DIR", ReadByCode());
        Assert.Contains("REFRAME_DATA_DIR", Documented());
        Assert.True(ReadByCode().Count > 50, $"only {ReadByCode().Count} settings found in src/");
    }

    /// <summary>String literals naming a setting, in every C# file under src/.</summary>
    private static HashSet<string> ReadByCode() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => SettingLiteral().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Settings named in code spans of docs/configuration.md (a prefix such as <c>REFRAME_S3_</c> is not a setting).</summary>
    private static HashSet<string> Documented() =>
        DocumentedName().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "configuration.md")))
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("\"(REFRAME_[A-Z0-9_]*[A-Z0-9])\"")]
    private static partial Regex SettingLiteral();

    [GeneratedRegex("`(REFRAME_[A-Z0-9_]*[A-Z0-9])[=`]")]
    private static partial Regex DocumentedName();
}
