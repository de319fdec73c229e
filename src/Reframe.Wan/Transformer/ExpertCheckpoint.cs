using Reframe.Wan.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Loads one expert folder (<c>config.json</c> + <c>diffusion_pytorch_model*.safetensors</c>) strictly: every
/// module key must be in the files with its shape and nothing else may be there; the error names the offenders.
/// (The reference skips unknown or mis-shaped keys and randomly initialises missing ones, so a wrong checkpoint
/// "loads".) Tensors are copied one at a time from the memory-mapped files into parameters already allocated in
/// the target dtype and device.
/// </summary>
public static class ExpertCheckpoint
{
    public const string SingleFileName = "diffusion_pytorch_model.safetensors";

    /// <summary>The weight files of an expert folder, in the reference's order of preference.</summary>
    public static IReadOnlyList<string> WeightFiles(string expertDirectory)
    {
        var single = Path.Combine(expertDirectory, SingleFileName);
        if (File.Exists(single))
        {
            return [single];
        }

        // Sharded: every safetensors file of the folder (the reference ignores the index json; the union is the same).
        var shards = Directory.GetFiles(expertDirectory, "*.safetensors").Order(StringComparer.Ordinal).ToArray();
        return shards.Length > 0
            ? shards
            : throw new FileNotFoundException($"{expertDirectory}: no {SingleFileName} and no *.safetensors shards");
    }

    public static VaceWanTransformer Load(string expertDirectory, Device device, ScalarType dtype)
    {
        var config = WanTransformerConfig.Load(Path.Combine(expertDirectory, "config.json"));
        var model = new VaceWanTransformer(config, device, dtype);
        try
        {
            var readers = WeightFiles(expertDirectory).Select(f => (ICheckpointReader)SafetensorsFile.Open(f)).ToList();
            try
            {
                LoadStrict(model, readers, expertDirectory);
            }
            finally
            {
                readers.ForEach(r => r.Dispose());
            }

            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies every parameter of <paramref name="module"/> from the readers, after a strict key/shape check.</summary>
    public static void LoadStrict(nn.Module module, IReadOnlyList<ICheckpointReader> readers, string source)
    {
        var owner = new Dictionary<string, ICheckpointReader>();
        var duplicated = new List<string>();
        foreach (var reader in readers)
        {
            foreach (var name in reader.Tensors.Keys)
            {
                if (!owner.TryAdd(name, reader))
                {
                    duplicated.Add(name);
                }
            }
        }

        var state = module.state_dict();
        var missing = state.Keys.Where(k => !owner.ContainsKey(k)).ToList();
        var unexpected = owner.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var misShaped = state.Where(p => owner.TryGetValue(p.Key, out var r) && !r.Tensors[p.Key].Shape.SequenceEqual(p.Value.shape))
            .Select(p => $"{p.Key} (file {owner[p.Key].Tensors[p.Key].ShapeText}, model [{string.Join(", ", p.Value.shape)}])").ToList();
        if (missing.Count + unexpected.Count + misShaped.Count + duplicated.Count > 0)
        {
            throw new InvalidDataException(
                $"{source}: checkpoint does not match the model. " +
                Describe("missing", missing) + Describe("unexpected", unexpected) +
                Describe("mis-shaped", misShaped) + Describe("in several shards", duplicated));
        }

        using var noGrad = no_grad();
        foreach (var (name, target) in state)
        {
            owner[name].CopyInto(name, target);
        }
    }

    private static string Describe(string what, List<string> names) =>
        names.Count == 0 ? "" : $"{names.Count} {what}: {string.Join(", ", names.Take(20))}{(names.Count > 20 ? ", ..." : "")}. ";
}
