using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Parity;

/// <summary>
/// The parity kit: reference tensors produced by the official Python code (see ../shared/parity/README.md).
/// The kit folder is <c>REFRAME_PARITY_DIR</c> when set, else <c>../shared/parity</c> beside the repository root.
/// Cases are discovered (every sub-folder of an area holding a <c>case.json</c>), never listed in code.
/// </summary>
public static class ParityKit
{
    public const string DirectoryVariable = "REFRAME_PARITY_DIR";

    private static readonly Lazy<string> KitDirectory = new(FindKitDirectory);

    /// <summary>The kit's root folder (holding <c>vae/</c>, <c>t5/</c>, <c>manifests/</c>, ...).</summary>
    public static string Directory => KitDirectory.Value;

    /// <summary>A path inside the kit, e.g. <c>Path("vae", "weights_dim4", "Wan2.1_VAE.pth")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Directory, .. parts]);

    /// <summary>
    /// Case ids (<c>area/folder</c>) for xunit <c>MemberData</c>: every folder under <paramref name="area"/> that
    /// holds a <c>case.json</c>, optionally only those whose <c>kind</c> satisfies <paramref name="kind"/>.
    /// An area without cases yields no rows, which xunit reports as a failure (no silent pass).
    /// </summary>
    public static TheoryData<string> Cases(string area, Func<string, bool>? kind = null)
    {
        var rows = new TheoryData<string>();
        foreach (string id in CaseIds(area, kind))
        {
            rows.Add(id);
        }

        return rows;
    }

    /// <summary>The case ids behind <see cref="Cases"/>, as a plain list.</summary>
    public static IReadOnlyList<string> CaseIds(string area, Func<string, bool>? kind = null)
    {
        var rows = new List<string>();
        string root = Path(area);
        if (!System.IO.Directory.Exists(root))
        {
            return rows;
        }

        foreach (string folder in System.IO.Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            string caseJson = System.IO.Path.Combine(folder, "case.json");
            if (!File.Exists(caseJson))
            {
                continue;
            }

            if (kind is not null)
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(caseJson));
                string caseKind = json.RootElement.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "";
                if (!kind(caseKind))
                {
                    continue;
                }
            }

            rows.Add(area + "/" + System.IO.Path.GetFileName(folder));
        }

        return rows;
    }

    /// <summary>Opens a case by the id that <see cref="Cases"/> produced.</summary>
    public static ParityCase Load(string caseId) => new(caseId, Path(caseId.Split('/')));

    /// <summary>
    /// <c>||actual - expected||_2 / ||expected||_2</c> over the whole tensor, in float64 on the CPU. When the
    /// reference is all zeros, the absolute norm of the difference is returned instead.
    /// </summary>
    public static double RelativeL2(Tensor actual, Tensor expected)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
        {
            throw new ArgumentException(
                $"shape [{string.Join(", ", actual.shape)}] differs from the reference [{string.Join(", ", expected.shape)}]");
        }

        using var scope = NewDisposeScope();
        var a = actual.detach().to(ScalarType.Float64, CPU);
        var e = expected.detach().to(ScalarType.Float64, CPU);
        double diff = (a - e).norm().item<double>();
        double reference = e.norm().item<double>();
        return reference == 0 ? diff : diff / reference;
    }

    /// <summary>
    /// Asserts <c>RelativeL2(actual, expected) &lt;= tolerance</c> (0 means exact) and writes the measured value to the
    /// test output either way. Returns the measured error.
    /// </summary>
    public static double AssertClose(ITestOutputHelper output, string label, Tensor actual, Tensor expected,
        double tolerance)
    {
        double error = RelativeL2(actual, expected);
        output.WriteLine($"{label}: rel-L2 {error:E3} (tolerance {tolerance:E1}) {(error <= tolerance ? "ok" : "FAIL")}");
        Assert.True(error <= tolerance,
            $"{label}: relative L2 error {error:E3} exceeds the tolerance {tolerance:E1}");
        return error;
    }

    /// <summary>The repository root: the nearest folder above the test binaries holding <c>Reframe.slnx</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Reframe.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Reframe.slnx above {AppContext.BaseDirectory}");
    }

    private static string FindKitDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(DirectoryVariable);
        string dir = string.IsNullOrWhiteSpace(fromEnvironment)
            ? System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot(), "..", "shared", "parity"))
            : System.IO.Path.GetFullPath(fromEnvironment);
        if (!System.IO.Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException(
                $"parity kit not found at {dir} (set {DirectoryVariable} to the kit folder)");
        }

        return dir;
    }
}
