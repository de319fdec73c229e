namespace Reframe.Client.Tests.Support;

public static class TempPaths
{
    public static string NewDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open (e.g. SQLite WAL on a slow shutdown) only leaves litter in /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The repository root (the folder holding Reframe.slnx), found from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reframe.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Reframe.slnx not found above " + AppContext.BaseDirectory);
    }
}
