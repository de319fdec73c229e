using System.Text.Json;
using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// Several safetensors files read as one checkpoint: either the shards named by a
/// <c>*.safetensors.index.json</c> (<c>weight_map</c>: tensor name -> shard file), or every <c>*.safetensors</c> in a
/// folder (what VideoX-Fun's loader does when there is no single file). A tensor found in two shards is an error.
/// </summary>
public sealed class ShardedSafetensors : ICheckpointReader
{
    private readonly List<SafetensorsFile> _shards;
    private readonly Dictionary<string, SafetensorsFile> _owner;
    private readonly Dictionary<string, CheckpointTensorInfo> _tensors;

    private ShardedSafetensors(List<SafetensorsFile> shards, Dictionary<string, SafetensorsFile> owner)
    {
        _shards = shards;
        _owner = owner;
        _tensors = owner.ToDictionary(kv => kv.Key, kv => kv.Value.Tensors[kv.Key], StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, CheckpointTensorInfo> Tensors => _tensors;

    public IReadOnlyList<string> ShardPaths => _shards.Select(s => s.Path).ToList();

    /// <summary>Opens the shards listed by an index json and checks that every listed tensor is where it says.</summary>
    public static ShardedSafetensors OpenIndex(string indexPath)
    {
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(indexPath))!;
        Dictionary<string, string> weightMap;
        using (var json = JsonDocument.Parse(File.ReadAllBytes(indexPath)))
        {
            if (!json.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{indexPath}: no weight_map object");
            }

            weightMap = map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        }

        var shardNames = weightMap.Values.Distinct(StringComparer.Ordinal).ToList();
        foreach (string shard in shardNames)
        {
            // Shard names are plain file names next to the index; refuse anything that walks elsewhere.
            if (shard.Length == 0 || System.IO.Path.GetFileName(shard) != shard)
            {
                throw new InvalidDataException($"{indexPath}: shard name '{shard}' is not a file name");
            }
        }

        var shards = OpenAll(shardNames.Select(s => System.IO.Path.Combine(folder, s)));
        try
        {
            var byName = shards.ToDictionary(s => System.IO.Path.GetFileName(s.Path), StringComparer.Ordinal);
            var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (tensor, shardName) in weightMap)
            {
                var shard = byName[shardName];
                if (!shard.Tensors.ContainsKey(tensor))
                {
                    throw new InvalidDataException($"{indexPath}: '{tensor}' is mapped to {shardName}, which lacks it");
                }

                owner[tensor] = shard;
            }

            foreach (var shard in shards)
            {
                var unlisted = shard.Tensors.Keys.Where(k => !owner.ContainsKey(k)).Take(5).ToList();
                if (unlisted.Count > 0)
                {
                    throw new InvalidDataException(
                        $"{indexPath}: {shard.Path} holds tensors the index does not list: {string.Join(", ", unlisted)}");
                }
            }

            return new ShardedSafetensors(shards, owner);
        }
        catch
        {
            shards.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>Opens the given safetensors files as one checkpoint (no index).</summary>
    public static ShardedSafetensors OpenFiles(IEnumerable<string> paths)
    {
        var shards = OpenAll(paths);
        try
        {
            var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var shard in shards)
            {
                foreach (string tensor in shard.Tensors.Keys)
                {
                    if (!owner.TryAdd(tensor, shard))
                    {
                        throw new InvalidDataException($"'{tensor}' is in both {owner[tensor].Path} and {shard.Path}");
                    }
                }
            }

            return new ShardedSafetensors(shards, owner);
        }
        catch
        {
            shards.ForEach(s => s.Dispose());
            throw;
        }
    }

    public Tensor ReadTensor(string name, ScalarType? dtype = null, Device? device = null) =>
        Owner(name).ReadTensor(name, dtype, device);

    public void CopyInto(string name, Tensor destination) => Owner(name).CopyInto(name, destination);

    private SafetensorsFile Owner(string name) =>
        _owner.TryGetValue(name, out var shard) ? shard : throw new KeyNotFoundException($"no tensor named '{name}'");

    private static List<SafetensorsFile> OpenAll(IEnumerable<string> paths)
    {
        var shards = new List<SafetensorsFile>();
        try
        {
            foreach (string path in paths)
            {
                shards.Add(SafetensorsFile.Open(path));
            }

            return shards;
        }
        catch
        {
            shards.ForEach(s => s.Dispose());
            throw;
        }
    }

    public void Dispose() => _shards.ForEach(s => s.Dispose());
}
