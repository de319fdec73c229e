namespace Reframe.Bench.Wan;

/// <summary>The parity kit folder: <c>REFRAME_PARITY_DIR</c>, else <c>../shared/parity</c> beside the repository root.</summary>
internal static class KitDirectory
{
    public static string Find()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("REFRAME_PARITY_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reframe.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "parity"));
            }
        }
        throw new DirectoryNotFoundException("Reframe.slnx not found above the benchmark; set REFRAME_PARITY_DIR.");
    }
}
