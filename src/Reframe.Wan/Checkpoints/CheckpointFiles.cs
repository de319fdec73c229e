namespace Reframe.Wan.Checkpoints;

/// <summary>Opens a checkpoint by path, whatever its layout.</summary>
public static class CheckpointFiles
{
    /// <summary>
    /// <c>*.safetensors</c>: one file; <c>*.index.json</c>: its shards; <c>*.pth</c>/<c>*.pt</c>/<c>*.bin</c>: a
    /// <c>torch.save</c> zip; a folder: its <c>*.safetensors.index.json</c> if there is exactly one, else every
    /// <c>*.safetensors</c> in it (VideoX-Fun's order of preference for a single file comes first).
    /// </summary>
    public static ICheckpointReader Open(string path)
    {
        if (Directory.Exists(path))
        {
            return OpenFolder(path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"checkpoint not found: {path}", path);
        }

        string name = Path.GetFileName(path);
        if (name.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
        {
            return ShardedSafetensors.OpenIndex(path);
        }

        if (name.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            return SafetensorsFile.Open(path);
        }

        if (name.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pt", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            return PthFile.Open(path);
        }

        throw new NotSupportedException($"{path}: unknown checkpoint format (expected .safetensors, .index.json or .pth)");
    }

    private static ICheckpointReader OpenFolder(string folder)
    {
        string single = Path.Combine(folder, "diffusion_pytorch_model.safetensors");
        if (File.Exists(single))
        {
            return SafetensorsFile.Open(single);
        }

        var indexes = Directory.GetFiles(folder, "*.safetensors.index.json");
        if (indexes.Length == 1)
        {
            return ShardedSafetensors.OpenIndex(indexes[0]);
        }

        var files = Directory.GetFiles(folder, "*.safetensors").Order(StringComparer.Ordinal).ToList();
        return files.Count switch
        {
            0 => throw new FileNotFoundException($"{folder}: no .safetensors files"),
            1 => SafetensorsFile.Open(files[0]),
            _ => ShardedSafetensors.OpenFiles(files),
        };
    }
}
