namespace Reframe.Wan.Checkpoints;

/// <summary>A key (and its shape) on one side of a state-dict comparison.</summary>
public sealed record ShapedKey(string Name, long[] Shape)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>What differs between the keys a module expects and the keys a checkpoint (or manifest) holds.</summary>
public sealed record StateDictMismatch(
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<(string Name, long[] Expected, long[] Found)> MisShaped)
{
    public bool IsEmpty => Missing.Count == 0 && Unexpected.Count == 0 && MisShaped.Count == 0;

    /// <summary>Compares by name, then by shape; lists keep the expected side's order.</summary>
    public static StateDictMismatch Compare(IEnumerable<ShapedKey> expected, IEnumerable<ShapedKey> found)
    {
        var expectedList = expected.ToList();
        var foundByName = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var key in found)
        {
            foundByName[key.Name] = key.Shape;
        }

        var expectedNames = expectedList.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        var missing = expectedList.Where(k => !foundByName.ContainsKey(k.Name)).Select(k => k.Name).ToList();
        var unexpected = foundByName.Keys.Where(n => !expectedNames.Contains(n)).ToList();
        var misShaped = expectedList
            .Where(k => foundByName.TryGetValue(k.Name, out var shape) && !shape.SequenceEqual(k.Shape))
            .Select(k => (k.Name, k.Shape, foundByName[k.Name]))
            .ToList();
        return new StateDictMismatch(missing, unexpected, misShaped);
    }

    /// <summary>A message naming the differing keys (the first <paramref name="limit"/> of each kind, with counts).</summary>
    public string Describe(int limit = 20)
    {
        var parts = new List<string>();
        if (Missing.Count > 0)
        {
            parts.Add($"{Missing.Count} missing: {List(Missing, limit)}");
        }

        if (Unexpected.Count > 0)
        {
            parts.Add($"{Unexpected.Count} unexpected: {List(Unexpected, limit)}");
        }

        if (MisShaped.Count > 0)
        {
            var text = MisShaped.Select(m => $"{m.Name} (expected [{string.Join(", ", m.Expected)}], found [{string.Join(", ", m.Found)}])");
            parts.Add($"{MisShaped.Count} mis-shaped: {List(text.ToList(), limit)}");
        }

        return parts.Count == 0 ? "keys and shapes match" : string.Join("; ", parts);
    }

    private static string List(IReadOnlyList<string> items, int limit) =>
        string.Join(", ", items.Take(limit)) + (items.Count > limit ? $", ... ({items.Count - limit} more)" : "");
}

/// <summary>A checkpoint does not match the module it is loaded into; the message names every kind of difference.</summary>
public sealed class CheckpointMismatchException : IOException
{
    public CheckpointMismatchException(string source, StateDictMismatch mismatch)
        : base($"{source} does not match the module: {mismatch.Describe()}")
    {
        Mismatch = mismatch;
    }

    public StateDictMismatch Mismatch { get; }
}
