namespace Reframe.TestSupport;

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
            // Likewise: a file made read-only by a test is litter, not a failure.
        }
    }
}
