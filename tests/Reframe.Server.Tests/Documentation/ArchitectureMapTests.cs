using System.Text.RegularExpressions;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Documentation;

/// <summary>
/// docs/architecture.md's "Where each concern lives" table names every project and folder of <c>src/</c>, and only
/// folders that exist: a folder added, renamed or removed without the map fails here, naming it.
/// </summary>
public sealed partial class ArchitectureMapTests
{
    [Fact]
    public void EverySourceFolder_IsInTheMap()
    {
        var mapped = Mapped();
        Assert.Empty(SourceFolders().Where(folder => !mapped.Contains(folder)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryFolderTheMapNames_Exists()
    {
        var folders = SourceFolders();
        Assert.Empty(Mapped().Where(entry => !folders.Contains(entry)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EverySourceProject_HasItsTestProject()
    {
        var tests = Path.Combine(RepositoryPaths.RepositoryRoot, "tests");
        var projects = SourceFolders().Where(entry => !entry.Contains('/', StringComparison.Ordinal)).ToList();
        Assert.True(projects.Count >= 10, $"only {projects.Count} source projects found");
        Assert.Empty(projects.Where(project => !File.Exists(Path.Combine(tests, $"{project}.Tests", $"{project}.Tests.csproj")))
            .Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheMap_IsFound()
    {
        // Guards the parse itself: a heading or table that moved would otherwise leave both tests above vacuous.
        Assert.Contains("Reframe.Wan/Vae", Mapped());
        Assert.Contains("Reframe.Client", Mapped());
        Assert.True(Mapped().Count > 40, $"only {Mapped().Count} entries read from the map");
    }

    /// <summary>Each project (<c>Reframe.X</c>) and each of its top-level folders (<c>Reframe.X/Folder</c>).</summary>
    private static HashSet<string> SourceFolders()
    {
        var src = Path.Combine(RepositoryPaths.RepositoryRoot, "src");
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in Directory.EnumerateDirectories(src))
        {
            var name = Path.GetFileName(project);
            result.Add(name);
            foreach (var folder in Directory.EnumerateDirectories(project).Select(Path.GetFileName))
            {
                if (folder is not ("bin" or "obj"))
                {
                    result.Add($"{name}/{folder}");
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The table's first column: <c>`Reframe.X/Folder`</c>, <c>`Reframe.X/{A,B}`</c>, or a bare <c>`Folder`</c> after a
    /// cell's first entry (a folder of the same project); a project named alone stands for itself.
    /// </summary>
    private static HashSet<string> Mapped()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "architecture.md"));
        var start = text.IndexOf("## Where each concern lives", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no \"Where each concern lives\" section");
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in section.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            var firstCell = row.Split('|', StringSplitOptions.TrimEntries)[1];
            string? project = null;
            foreach (var token in Code().Matches(firstCell).Select(m => m.Groups[1].Value))
            {
                var slash = token.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0 && project is null)
                {
                    project = token;
                    result.Add(token);
                    continue;
                }
                var folders = slash < 0 ? token : token[(slash + 1)..];
                project = slash < 0 ? project : token[..slash];
                result.Add(project!);
                foreach (var folder in folders.Trim('{', '}').Split(','))
                {
                    result.Add($"{project}/{folder.Trim()}");
                }
            }
        }
        return result;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
