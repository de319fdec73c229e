using System.Text.Json;

namespace Reframe.Wan.Tests.Text;

/// <summary>Finds case folders of one kind under a kit sub-folder (kit = REFRAME_PARITY_DIR or ../shared/parity).</summary>
internal static class KitCases
{
    public static IEnumerable<string> Discover(string subFolder, string kind)
    {
        string root = Path.Combine(KitDirectory(), subFolder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Parity kit folder not found: {root}");
        }
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            string caseJson = Path.Combine(dir, "case.json");
            if (!File.Exists(caseJson))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(File.ReadAllText(caseJson));
            if (doc.RootElement.TryGetProperty("kind", out var k) && k.GetString() == kind)
            {
                yield return dir;
            }
        }
    }

    /// <summary>||actual - expected|| / ||expected|| in float64 (0 when both are zero).</summary>
    public static double RelativeL2(TorchSharp.torch.Tensor actual, TorchSharp.torch.Tensor expected)
    {
        using var a = actual.detach().to(TorchSharp.torch.float64).cpu();
        using var e = expected.detach().to(TorchSharp.torch.float64).cpu();
        Assert.Equal(e.shape, a.shape);
        double norm = e.norm().item<double>();
        using var diff = a - e;
        double error = diff.norm().item<double>();
        return norm == 0 ? error : error / norm;
    }

    public static string KitDirectory()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("REFRAME_PARITY_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reframe.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "parity"));
            }
        }
        throw new DirectoryNotFoundException("Reframe.slnx not found above the test output folder.");
    }
}
