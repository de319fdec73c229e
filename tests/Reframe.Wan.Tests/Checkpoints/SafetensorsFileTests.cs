using Reframe.Wan.Checkpoints;
using Reframe.Wan.Tests.Parity;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Checkpoints;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reframe-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteSample(int headerPadding = 0)
    {
        string path = Path.Combine(_dir, "sample.safetensors");
        SafetensorsWriter.Write(path,
        [
            new("f32", "F32", [2, 3], SafetensorsWriter.Bytes(1f, 2f, 3f, -4f, 5.5f, 6f)),
            // bf16 / f16 bit patterns of 1.0, -2.5, 0.5
            new("bf16", "BF16", [3], SafetensorsWriter.Bytes<ushort>(0x3F80, 0xC020, 0x3F00)),
            new("f16", "F16", [3], SafetensorsWriter.Bytes<ushort>(0x3C00, 0xC100, 0x3800)),
            new("i64", "I64", [2], SafetensorsWriter.Bytes(long.MaxValue, -7L)),
            new("scalar", "F32", [], SafetensorsWriter.Bytes(42f)),
        ], headerPadding);
        return path;
    }

    [Fact]
    public void Open_ListsEveryTensorWithDtypeShapeAndOffsets()
    {
        using var file = SafetensorsFile.Open(WriteSample());
        Assert.Equal(5, file.Tensors.Count);
        Assert.Equal("pt", file.Metadata["format"]);
        var f32 = file.Tensors["f32"];
        Assert.Equal(ScalarType.Float32, f32.DType);
        Assert.Equal(new long[] { 2, 3 }, f32.Shape);
        Assert.Equal(24, f32.ByteLength);
        Assert.Equal(ScalarType.BFloat16, file.Tensors["bf16"].DType);
        Assert.Equal(f32.Offset + 24, file.Tensors["bf16"].Offset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)] // an unaligned data section must read the same
    public void ReadTensor_ReturnsStoredValues_ForEachDtype(int headerPadding)
    {
        using var file = SafetensorsFile.Open(WriteSample(headerPadding));
        using var f32 = file.ReadTensor("f32");
        Assert.Equal(new long[] { 2, 3 }, f32.shape);
        Assert.Equal(new[] { 1f, 2f, 3f, -4f, 5.5f, 6f }, f32.data<float>().ToArray());
        using var bf16 = file.ReadTensor("bf16");
        Assert.Equal(ScalarType.BFloat16, bf16.dtype);
        using var bf16AsF32 = bf16.to(ScalarType.Float32);
        Assert.Equal(new[] { 1f, -2.5f, 0.5f }, bf16AsF32.data<float>().ToArray());
        using var f16 = file.ReadTensor("f16", ScalarType.Float32);
        Assert.Equal(new[] { 1f, -2.5f, 0.5f }, f16.data<float>().ToArray());
        using var i64 = file.ReadTensor("i64");
        Assert.Equal(new[] { long.MaxValue, -7L }, i64.data<long>().ToArray());
        using var scalar = file.ReadTensor("scalar");
        Assert.Empty(scalar.shape);
        Assert.Equal(42f, scalar.item<float>());
    }

    [Fact]
    public void CopyInto_ConvertsToTheDestinationDtype()
    {
        using var file = SafetensorsFile.Open(WriteSample());
        using var destination = zeros(2, 3, ScalarType.BFloat16);
        file.CopyInto("f32", destination);
        using var back = destination.to(ScalarType.Float32);
        Assert.Equal(new[] { 1f, 2f, 3f, -4f, 5.5f, 6f }, back.data<float>().ToArray());
    }

    [Fact]
    public void CopyInto_Throws_WhenShapesDiffer()
    {
        using var file = SafetensorsFile.Open(WriteSample());
        using var destination = zeros(3, 2);
        var error = Assert.Throws<ArgumentException>(() => file.CopyInto("f32", destination));
        Assert.Contains("[2, 3]", error.Message);
    }

    [Fact]
    public void Open_Throws_WhenOffsetsPointOutsideTheFile()
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        SafetensorsWriter.Write(path, [new("x", "F32", [4], SafetensorsWriter.Bytes(1f, 2f))]);
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void Open_Throws_WhenTheHeaderLengthIsImplausible()
    {
        string path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, (byte)'{', (byte)'}']);
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
    }

    [Fact]
    public void Open_Throws_WithThePath_WhenTheHeaderIsNotJson()
    {
        string path = Path.Combine(_dir, "garbage.safetensors");
        File.WriteAllBytes(path, [4, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'x', (byte)'"', (byte)'}']);
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void ReadTensor_MatchesPyBridge_OnTheKitVae()
    {
        string path = ParityKit.Path("vae", "weights_dim4", "Wan2.1_VAE.safetensors");
        var reference = Safetensors.LoadStateDict(path);
        try
        {
            using var file = SafetensorsFile.Open(path);
            Assert.Equal(reference.Keys.Order(), file.Tensors.Keys.Order());
            foreach (var (name, expected) in reference)
            {
                using var actual = file.ReadTensor(name);
                Assert.Equal(expected.shape, actual.shape);
                using var same = actual.eq(expected).all();
                Assert.True(same.item<bool>(), name);
            }
        }
        finally
        {
            foreach (var tensor in reference.Values)
            {
                tensor.Dispose();
            }
        }
    }
}
