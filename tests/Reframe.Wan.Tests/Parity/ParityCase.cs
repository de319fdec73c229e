using System.Text.Json;
using Reframe.Wan.Checkpoints;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Parity;

/// <summary>Which section of <c>case.json</c> a tensor belongs to.</summary>
public enum TensorRole
{
    Input,
    Output,
    Intermediate,
}

/// <summary>
/// One case folder of the kit: its parsed <c>case.json</c> and lazy access to the tensors of
/// <c>inputs/outputs/intermediates.safetensors</c> by name (read through <see cref="SafetensorsFile"/>).
/// </summary>
public sealed class ParityCase : IDisposable
{
    private readonly JsonDocument _json;
    private readonly Dictionary<string, SafetensorsFile> _files = new(StringComparer.Ordinal);

    internal ParityCase(string id, string folder)
    {
        Id = id;
        Folder = folder;
        _json = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(folder, "case.json")));
    }

    /// <summary><c>area/folder</c>, as discovered.</summary>
    public string Id { get; }

    public string Folder { get; }

    /// <summary>The root of <c>case.json</c>.</summary>
    public JsonElement Json => _json.RootElement;

    public string Kind => Json.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "";

    /// <summary>The case's <c>config</c> object (constructor arguments of the reference module).</summary>
    public JsonElement Config => Json.GetProperty("config");

    /// <summary>A path relative to the case folder (e.g. the <c>weights.folder</c> entry).</summary>
    public string PathOf(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Folder, relative));

    public IReadOnlyList<string> Names(TensorRole role) =>
        Json.TryGetProperty(SectionName(role), out var section) && section.ValueKind == JsonValueKind.Object
            ? section.EnumerateObject().Select(p => p.Name).ToList()
            : [];

    public bool Has(TensorRole role, string name) => Names(role).Contains(name);

    public Tensor Input(string name) => Read(TensorRole.Input, name);

    public Tensor Output(string name) => Read(TensorRole.Output, name);

    public Tensor Intermediate(string name) => Read(TensorRole.Intermediate, name);

    /// <summary>Reads a tensor listed in the given section of <c>case.json</c>, as float32 on the CPU.</summary>
    public Tensor Read(TensorRole role, string name)
    {
        var section = Json.GetProperty(SectionName(role));
        if (!section.TryGetProperty(name, out var entry))
        {
            throw new KeyNotFoundException($"{Id}: no {SectionName(role)} tensor '{name}' in case.json");
        }

        string file = entry.TryGetProperty("file", out var f) ? f.GetString()! : SectionName(role) + ".safetensors";
        if (!_files.TryGetValue(file, out var reader))
        {
            reader = SafetensorsFile.Open(System.IO.Path.Combine(Folder, file));
            _files[file] = reader;
        }

        return reader.ReadTensor(name, ScalarType.Float32);
    }

    /// <summary>
    /// The case's tolerance for a tensor, from <c>case.json</c>'s <c>tolerance</c> object: the exact name, then a
    /// <c>prefix.*</c> pattern, then (for intermediates) <c>intermediates</c> / <c>default_intermediate</c>; a text
    /// value mentioning "exact" means 0. Otherwise <paramref name="fallback"/> (the README's table).
    /// </summary>
    public double Tolerance(string name, TensorRole role, double fallback)
    {
        if (!Json.TryGetProperty("tolerance", out var tolerances) || tolerances.ValueKind != JsonValueKind.Object)
        {
            return fallback;
        }

        foreach (var property in tolerances.EnumerateObject())
        {
            if (property.Name == name && TryValue(property.Value, out double exact))
            {
                return exact;
            }
        }

        foreach (var property in tolerances.EnumerateObject())
        {
            if (property.Name.EndsWith(".*", StringComparison.Ordinal)
                && name.StartsWith(property.Name[..^1], StringComparison.Ordinal)
                && TryValue(property.Value, out double pattern))
            {
                return pattern;
            }
        }

        if (role == TensorRole.Intermediate)
        {
            foreach (string key in new[] { "intermediates", "default_intermediate" })
            {
                if (tolerances.TryGetProperty(key, out var value) && TryValue(value, out double shared))
                {
                    return shared;
                }
            }
        }

        return fallback;
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with the stored reference <paramref name="name"/> at the case's own
    /// tolerance and prints the measured relative L2 error. Returns the error.
    /// </summary>
    public double Check(ITestOutputHelper output, TensorRole role, string name, Tensor actual, double fallbackTolerance)
    {
        using var expected = Read(role, name);
        double tolerance = Tolerance(name, role, fallbackTolerance);
        return ParityKit.AssertClose(output, $"{Id} {name}", actual, expected, tolerance);
    }

    private static bool TryValue(JsonElement value, out double tolerance)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                tolerance = value.GetDouble();
                return true;
            case JsonValueKind.String when value.GetString()!.Contains("exact", StringComparison.OrdinalIgnoreCase):
                tolerance = 0;
                return true;
            default:
                tolerance = double.NaN;
                return false;
        }
    }

    private static string SectionName(TensorRole role) => role switch
    {
        TensorRole.Input => "inputs",
        TensorRole.Output => "outputs",
        _ => "intermediates",
    };

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.Dispose();
        }

        _files.Clear();
        _json.Dispose();
    }
}
