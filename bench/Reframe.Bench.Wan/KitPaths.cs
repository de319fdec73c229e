namespace Reframe.Bench.Wan;

/// <summary>The parity kit (tiny weights): <c>REFRAME_PARITY_DIR</c>, else <c>../shared/parity</c> beside the repository.</summary>
internal static class KitPaths
{
    public static string Directory
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("REFRAME_PARITY_DIR");
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return Path.GetFullPath(fromEnvironment);
            }

            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Reframe.slnx")))
            {
                directory = directory.Parent;
            }

            return directory is null
                ? throw new InvalidOperationException("Reframe.slnx not found above the benchmark; set REFRAME_PARITY_DIR.")
                : Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "parity"));
        }
    }
}
