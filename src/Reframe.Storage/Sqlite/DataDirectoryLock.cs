namespace Reframe.Storage.Sqlite;

/// <summary>
/// Holds an exclusive lock on <c>reframe.lock</c> in the data directory for the life of the process. The SQLite
/// backend is single-node: at start-up it treats every running task as orphaned (its worker died with the
/// previous process), which is only true if no other live process shares the directory. The kernel drops the
/// lock when the process dies, even by SIGKILL, so a restart never waits.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "reframe.lock");
        try
        {
            // FileShare.None takes an advisory flock on Unix.
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another Reframe process is using the data directory '{dataDirectory}'. Stop it, or give this one its own REFRAME_DATA_DIR.", ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
