namespace Reframe.TestSupport;

/// <summary>A fresh directory per test, so "nothing left behind" can be checked by listing it; deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "reframe-tests")
    {
        Path = TempPaths.NewDirectory(prefix);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Entries() => Directory.GetFileSystemEntries(Path);

    public void Dispose() => TempPaths.TryDelete(Path);
}
