using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Vae;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Checkpoints;

public sealed class StrictStateDictLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reframe-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static WanVae TinyVae(ModuleInit? init = null) =>
        new(WanVaeConfig.Wan21 with { Dim = 4 }, init ?? ModuleInit.CpuFloat32);

    [Fact]
    public void Load_FillsEveryParameter_FromAPth()
    {
        using var vae = TinyVae();
        StrictStateDictLoader.Load(vae, ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.pth"));
        using var reference = SafetensorsFile.Open(ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.safetensors"));
        foreach (var (name, tensor) in StrictStateDictLoader.Entries(vae))
        {
            using var expected = reference.ReadTensor(name);
            using var same = tensor.eq(expected).all();
            Assert.True(same.item<bool>(), name);
        }
    }

    [Fact]
    public void Load_ConvertsToTheModuleDtype()
    {
        using var vae = TinyVae(new ModuleInit(ScalarType.BFloat16, CPU));
        StrictStateDictLoader.Load(vae, ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.safetensors"));
        Assert.All(StrictStateDictLoader.Entries(vae), e => Assert.Equal(ScalarType.BFloat16, e.Tensor.dtype));
    }

    [Fact]
    public void Load_LoadsThePipelineCaseVae()
    {
        // wan2's pipeline case ships its own tiny VAE in the real key layout; it must load strictly.
        string path = ParityKit.Path("pipeline", "v2v_mask_reframe_unipc6", "vae", "Wan2.1_VAE.safetensors");
        using var vae = TinyVae();
        StrictStateDictLoader.Load(vae, path);
    }

    [Fact]
    public void Load_NamesMissingUnexpectedAndMisShapedKeys()
    {
        using var source = SafetensorsFile.Open(ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.safetensors"));
        var entries = new List<SafetensorsWriter.Entry>();
        foreach (var info in source.Tensors.Values)
        {
            if (info.Name == "decoder.head.2.bias")
            {
                continue; // missing
            }

            using var t = source.ReadTensor(info.Name);
            var shape = info.Name == "conv1.bias" ? new long[] { 2, 16 } : info.Shape; // mis-shaped
            entries.Add(new(info.Name, "F32", shape, t.bytes.ToArray()));
        }

        entries.Add(new("encoder.extra.weight", "F32", [1], SafetensorsWriter.Bytes(1f))); // unexpected
        string path = Path.Combine(_dir, "broken.safetensors");
        SafetensorsWriter.Write(path, entries);

        using var vae = TinyVae();
        var error = Assert.Throws<CheckpointMismatchException>(() => StrictStateDictLoader.Load(vae, path));
        Assert.Contains("1 missing: decoder.head.2.bias", error.Message);
        Assert.Contains("1 unexpected: encoder.extra.weight", error.Message);
        Assert.Contains("conv1.bias (expected [32], found [2, 16])", error.Message);
        Assert.Equal(["decoder.head.2.bias"], error.Mismatch.Missing);
    }

    [Fact]
    public void Open_ReadsAShardedIndex()
    {
        using var source = SafetensorsFile.Open(ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.safetensors"));
        var names = source.Tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var map = new Dictionary<string, string>();
        for (int shard = 0; shard < 2; shard++)
        {
            string file = $"model-0000{shard + 1}-of-00002.safetensors";
            var part = names.Where((_, i) => i % 2 == shard).ToList();
            var entries = part.Select(n =>
            {
                using var t = source.ReadTensor(n);
                return new SafetensorsWriter.Entry(n, "F32", source.Tensors[n].Shape, t.bytes.ToArray());
            }).ToList();
            SafetensorsWriter.Write(Path.Combine(_dir, file), entries);
            part.ForEach(n => map[n] = file);
        }

        string index = Path.Combine(_dir, "model.safetensors.index.json");
        File.WriteAllText(index, System.Text.Json.JsonSerializer.Serialize(new { metadata = new { }, weight_map = map }));

        using (var fromIndex = CheckpointFiles.Open(index))
        {
            Assert.IsType<ShardedSafetensors>(fromIndex);
            using var vae = TinyVae();
            StrictStateDictLoader.Load(vae, fromIndex);
            using var expected = source.ReadTensor("decoder.head.2.weight");
            using var same = StrictStateDictLoader.Entries(vae).Single(e => e.Name == "decoder.head.2.weight").Tensor.eq(expected).all();
            Assert.True(same.item<bool>());
        }

        using var fromFolder = CheckpointFiles.Open(_dir); // the folder's single index json
        Assert.Equal(names.Count, fromFolder.Tensors.Count);
    }

    [Fact]
    public void OpenIndex_RefusesShardNamesOutsideTheFolder()
    {
        string index = Path.Combine(_dir, "x.safetensors.index.json");
        File.WriteAllText(index, """{"weight_map": {"a": "../elsewhere.safetensors"}}""");
        Assert.Throws<InvalidDataException>(() => ShardedSafetensors.OpenIndex(index));
    }
}
