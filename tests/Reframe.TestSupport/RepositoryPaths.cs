namespace Reframe.TestSupport;

/// <summary>Finds the repository root (the folder holding <c>Reframe.slnx</c>) and <c>../shared</c> beside it.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Reframe.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Reframe.slnx above {AppContext.BaseDirectory}.");
    });

    /// <summary>The folder holding <c>Reframe.slnx</c>.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary><c>../shared</c> relative to the repository root (spec, seed, parity material); may not exist.</summary>
    public static string SharedDirectory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>A file under <see cref="SharedDirectory"/>, e.g. <c>Shared("spec", "API.md")</c>.</summary>
    public static string Shared(params string[] parts) => Path.Combine([SharedDirectory, .. parts]);
}
