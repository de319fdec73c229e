using Reframe.TestSupport;
using Reframe.Wan.Engine;

namespace Reframe.Server.Tests.Engines;

/// <summary>Tiny Wan model folders (what scripts/tiny-wan-model.sh writes) in temporary directories.</summary>
internal static class WanModelFolders
{
    public static string ParityDirectory =>
        Environment.GetEnvironmentVariable("REFRAME_PARITY_DIR") is { Length: > 0 } dir ? dir : RepositoryPaths.Shared("parity");

    public static string CreateTiny() =>
        TinyWanModel.Write(ParityDirectory, Path.Combine(Path.GetTempPath(), "reframe-tiny-wan-" + Guid.NewGuid().ToString("N")));

    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}
