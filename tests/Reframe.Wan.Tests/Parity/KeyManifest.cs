using System.Text.Json;
using Reframe.Wan.Checkpoints;
using TorchSharp;
using Xunit.Abstractions;

namespace Reframe.Wan.Tests.Parity;

/// <summary>
/// The kit's key manifests (<c>parity/manifests/*.json</c>: every tensor of a real full-size checkpoint with its
/// shape). <see cref="AssertModuleMatches"/> is the one-line check each model adds: build the module at full size
/// on the meta device (no memory), then compare its state-dict keys and shapes with the manifest.
/// </summary>
public static class KeyManifest
{
    /// <summary>Keys and shapes listed by a manifest file (a name under <c>parity/manifests</c>).</summary>
    public static IReadOnlyList<ShapedKey> Read(string manifestFile, out long parameterCount)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ParityKit.Path("manifests", manifestFile)));
        var root = json.RootElement;
        parameterCount = root.TryGetProperty("num_parameters", out var n) ? n.GetInt64() : -1;
        return root.GetProperty("tensors").EnumerateArray()
            .Select(t => new ShapedKey(t.GetProperty("name").GetString()!,
                t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray()))
            .ToList();
    }

    /// <summary>
    /// Asserts that <paramref name="module"/> (built with <c>ModuleInit.Meta</c>) has exactly the manifest's keys
    /// and shapes, that no parameter was allocated, and that the parameter count matches.
    /// </summary>
    public static void AssertModuleMatches(ITestOutputHelper output, string manifestFile, torch.nn.Module module)
    {
        var expected = Read(manifestFile, out long parameterCount);
        var entries = StrictStateDictLoader.Entries(module);
        var notMeta = entries.Where(e => e.Tensor.device_type != DeviceType.META).Select(e => e.Name).Take(5).ToList();
        Assert.True(notMeta.Count == 0, $"allocated (not on the meta device): {string.Join(", ", notMeta)}");

        var mismatch = StateDictMismatch.Compare(expected, StrictStateDictLoader.Keys(module));
        long count = entries.Sum(e => e.Tensor.numel());
        output.WriteLine($"{manifestFile}: {expected.Count} manifest tensors, module has {entries.Count} " +
                         $"({count:N0} parameters); {mismatch.Describe()}");
        Assert.True(mismatch.IsEmpty, $"{manifestFile}: {mismatch.Describe()}");
        Assert.Equal(expected.Count, entries.Count);
        if (parameterCount >= 0)
        {
            Assert.Equal(parameterCount, count);
        }
    }
}
