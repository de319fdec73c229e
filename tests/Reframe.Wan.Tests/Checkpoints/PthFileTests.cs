using Reframe.Wan.Checkpoints;
using Reframe.Wan.Tests.Parity;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Checkpoints;

public sealed class PthFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reframe-pth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadTensor_EqualsTheSafetensorsTwin_ForTheKitVae()
    {
        using var pth = PthFile.Open(ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.pth"));
        using var safetensors = SafetensorsFile.Open(ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.safetensors"));
        Assert.Equal(194, pth.Tensors.Count);
        Assert.Equal(safetensors.Tensors.Keys.Order(), pth.Tensors.Keys.Order());
        foreach (string name in pth.Tensors.Keys)
        {
            using var a = pth.ReadTensor(name);
            using var b = safetensors.ReadTensor(name);
            Assert.Equal(ScalarType.Float32, a.dtype);
            Assert.Equal(b.shape, a.shape);
            using var same = a.eq(b).all();
            Assert.True(same.item<bool>(), name);
        }
    }

    [Fact]
    public void ReadTensor_ReadsBFloat16Storages_LikePyBridge()
    {
        string path = ParityKit.Path("t5", "weights_tiny_b_pth", "t5_encoder_bf16.pth");
        using var pth = PthFile.Open(path);
        using var stream = File.OpenRead(path);
        var reference = PyTorchUnpickler.UnpickleStateDict(stream);
        using var f32 = SafetensorsFile.Open(ParityKit.Path("t5", "weights_tiny_b_pth", "t5_encoder.safetensors"));
        Assert.Equal(reference.Count, pth.Tensors.Count);
        foreach (string name in pth.Tensors.Keys)
        {
            using var actual = pth.ReadTensor(name);
            Assert.Equal(ScalarType.BFloat16, actual.dtype);
            var expected = (Tensor)reference[name]!;
            using var same = actual.eq(expected).all();
            Assert.True(same.item<bool>(), name);
            // The kit stores the same bf16-representable values as F32 safetensors.
            using var asFloat = pth.ReadTensor(name, ScalarType.Float32);
            using var twin = f32.ReadTensor(name);
            using var sameValues = asFloat.eq(twin).all();
            Assert.True(sameValues.item<bool>(), name);
        }
    }

    private string WriteSyntheticPth(bool zip64, Action<PickleBuilder>? extraEntries = null)
    {
        // OrderedDict{ "w": 2x3 float storage "0", "wt": its transpose (strided view of the same storage),
        // "h": bf16 [2] at storage offset 1 of storage "1" }, plus the _metadata BUILD torch.save emits.
        var p = new PickleBuilder().Proto(2).Global("collections", "OrderedDict").Put().EmptyTuple().Reduce().Put();
        p.Mark();
        p.Text("w").Tensor("FloatStorage", "0", 0, [2, 3], [3, 1]);
        p.Text("wt").Tensor("FloatStorage", "0", 0, [3, 2], [1, 3]);
        p.Text("h").Tensor("BFloat16Storage", "1", 1, [2], [1]);
        extraEntries?.Invoke(p);
        p.SetItems();
        p.Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark().Text("").EmptyDict().Text("version").Int(1)
            .Op((byte)'s').SetItems().Build();
        p.Stop();

        string path = Path.Combine(_dir, zip64 ? "big.pth" : "small.pth");
        StoredZipWriter.Write(path,
        [
            ("big/data.pkl", p.ToArray()),
            ("big/data/0", SafetensorsWriter.Bytes(1f, 2f, 3f, 4f, 5f, 6f)),
            ("big/data/1", SafetensorsWriter.Bytes<ushort>(0x3F80, 0xC020, 0x3F00)), // 1, -2.5, 0.5 in bf16
            ("big/version", "3\n"u8.ToArray()),
        ], zip64);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // ZIP64 records, as in files above 4 GB (the real T5)
    public void Open_ReadsStridedViewsOffsetsAndBFloat16(bool zip64)
    {
        using var pth = PthFile.Open(WriteSyntheticPth(zip64));
        Assert.Equal(["w", "wt", "h"], pth.Tensors.Keys);
        using var w = pth.ReadTensor("w");
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, w.data<float>().ToArray());
        using var wt = pth.ReadTensor("wt");
        Assert.Equal(new long[] { 3, 2 }, wt.shape);
        Assert.Equal(new[] { 1f, 4f, 2f, 5f, 3f, 6f }, wt.data<float>().ToArray());
        using var h = pth.ReadTensor("h", ScalarType.Float32);
        Assert.Equal(new[] { -2.5f, 0.5f }, h.data<float>().ToArray());
    }

    [Fact]
    public void Open_Throws_WhenTheStateDictHoldsAnythingButTensors()
    {
        // A global the reader does not know is never called; it only makes the entry "not a tensor".
        string path = WriteSyntheticPth(zip64: false,
            p => p.Text("evil").Global("os", "system").Mark().Text("echo hi").Tuple().Reduce());
        var error = Assert.Throws<InvalidDataException>(() => PthFile.Open(path));
        Assert.Contains("'evil'", error.Message);
    }

    [Fact]
    public void Open_Throws_WhenTheFileIsNotAZip()
    {
        string path = Path.Combine(_dir, "plain.pth");
        File.WriteAllBytes(path, new byte[100]);
        Assert.Throws<InvalidDataException>(() => PthFile.Open(path));
    }

    [Fact]
    public void Open_Throws_WhenTheArchiveHasNoPickle()
    {
        string path = Path.Combine(_dir, "nopickle.pth");
        StoredZipWriter.Write(path, [("a/data/0", new byte[8])], zip64: false);
        var error = Assert.Throws<InvalidDataException>(() => PthFile.Open(path));
        Assert.Contains("data.pkl", error.Message);
    }
}
