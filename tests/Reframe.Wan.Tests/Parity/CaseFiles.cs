using System.Text.Json;
using Reframe.Wan.Checkpoints;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Parity;

/// <summary>
/// Whole-file access to a case for the transformer, scheduler and pipeline tests, on top of <see cref="ParityKit"/>:
/// case folders by name, case.json, every tensor of a file by name (read with the src safetensors reader), and a
/// tolerance lookup by tensor name.
/// </summary>
public static class CaseFiles
{
    public static string KitDirectory => ParityKit.Directory;

    /// <summary>Every case folder (one holding case.json) under a kit sub-folder, as xunit theory rows.</summary>
    public static TheoryData<string> Cases(string subFolder)
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(KitDirectory, subFolder);
        if (!Directory.Exists(root))
        {
            return data;
        }

        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(folder, "case.json")))
            {
                data.Add(Path.GetFileName(folder));
            }
        }

        return data;
    }

    public static string CaseDirectory(string subFolder, string caseName) => Path.Combine(KitDirectory, subFolder, caseName);

    public static JsonElement ReadCaseJson(string caseDirectory)
    {
        using var stream = File.OpenRead(Path.Combine(caseDirectory, "case.json"));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    /// <summary>All tensors of one safetensors file; the caller disposes them (or lets its scope do it).</summary>
    public static Dictionary<string, Tensor> LoadTensors(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return file.Tensors.Keys.ToDictionary(name => name, name => file.ReadTensor(name, ScalarType.Float32));
    }

    /// <summary><c>||a - b|| / ||b||</c> in float64 over the whole tensor.</summary>
    public static double RelativeL2(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to_type(ScalarType.Float64).cpu();
        var b = expected.to_type(ScalarType.Float64).cpu();
        Assert.Equal(b.shape, a.shape);
        double denominator = b.norm().item<double>();
        double numerator = (a - b).norm().item<double>();
        return denominator == 0 ? numerator : numerator / denominator;
    }

    /// <summary>Asserts and reports the measured relative L2 error of one tensor.</summary>
    public static double AssertClose(ITestOutputHelper output, string name, Tensor actual, Tensor expected, double tolerance)
    {
        double error = RelativeL2(actual, expected);
        output.WriteLine($"{name}: rel-L2 {error:E2} (limit {tolerance:E0})");
        Assert.True(error <= tolerance, $"{name}: relative L2 error {error:E3} exceeds {tolerance:E1}");
        return error;
    }

    /// <summary>The case's own tolerance for a tensor when case.json gives a number, else the fallback.</summary>
    public static double Tolerance(JsonElement caseJson, string name, double fallback)
    {
        if (caseJson.TryGetProperty("tolerance", out var tolerance) &&
            tolerance.ValueKind == JsonValueKind.Object &&
            tolerance.TryGetProperty(name, out var value) &&
            value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        return fallback;
    }
}
