using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// A memory-mapped <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header naming every
/// tensor's dtype, shape and byte range, then the raw data. Opening parses and validates the header only;
/// each <see cref="ReadTensor"/> copies one tensor from the mapped pages into libtorch storage.
/// </summary>
public sealed class SafetensorsFile : ICheckpointReader
{
    // The format's own reference implementation refuses headers above 100 MB.
    private const long MaxHeaderBytes = 100_000_000;

    private readonly MappedFile _file;
    private readonly Dictionary<string, CheckpointTensorInfo> _tensors;

    private SafetensorsFile(MappedFile file, Dictionary<string, CheckpointTensorInfo> tensors,
        Dictionary<string, string> metadata)
    {
        _file = file;
        _tensors = tensors;
        Metadata = metadata;
    }

    public string Path => _file.Path;

    public IReadOnlyDictionary<string, CheckpointTensorInfo> Tensors => _tensors;

    /// <summary>The optional <c>__metadata__</c> string map of the header.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Maps the file and parses its header; fails with the path and the reason on a malformed file.</summary>
    public static SafetensorsFile Open(string path)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; this machine is not");
        }

        var file = new MappedFile(path);
        try
        {
            var (tensors, metadata) = ParseHeader(file);
            return new SafetensorsFile(file, tensors, metadata);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public Tensor ReadTensor(string name, ScalarType? dtype = null, Device? device = null)
    {
        var info = Get(name);
        var raw = _file.ReadTensor(info.Offset, info.DType, info.Shape);
        return Convert(raw, dtype, device);
    }

    public void CopyInto(string name, Tensor destination)
    {
        var info = Get(name);
        CheckShape(info, destination);
        using var raw = _file.ReadTensor(info.Offset, info.DType, info.Shape);
        using var noGrad = no_grad();
        destination.copy_(raw); // converts dtype and moves to the destination's device in one step
    }

    private CheckpointTensorInfo Get(string name) =>
        _tensors.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    internal static void CheckShape(CheckpointTensorInfo info, Tensor destination)
    {
        if (!info.Shape.SequenceEqual(destination.shape))
        {
            throw new ArgumentException(
                $"'{info.Name}' is {info.ShapeText} in {info.FilePath}, the destination is " +
                $"[{string.Join(", ", destination.shape)}]", nameof(destination));
        }
    }

    /// <summary>Converts a freshly read CPU tensor to the requested dtype/device, disposing the original.</summary>
    internal static Tensor Convert(Tensor raw, ScalarType? dtype, Device? device)
    {
        var targetType = dtype ?? raw.dtype;
        var targetDevice = device ?? raw.device;
        if (targetType == raw.dtype && targetDevice.type == raw.device.type && targetDevice.index == raw.device.index)
        {
            return raw;
        }

        var converted = raw.to(targetType, targetDevice);
        raw.Dispose();
        return converted;
    }

    private static (Dictionary<string, CheckpointTensorInfo>, Dictionary<string, string>) ParseHeader(MappedFile file)
    {
        if (file.Length < 8)
        {
            throw new InvalidDataException($"{file.Path}: too short for a safetensors header");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file.Span(0, 8));
        if (headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
        {
            throw new InvalidDataException($"{file.Path}: header length {headerLength} is not plausible");
        }

        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;
        var tensors = new Dictionary<string, CheckpointTensorInfo>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);

        using var json = ParseJson(file, (int)headerLength);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{file.Path}: the header is not a JSON object");
        }

        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.NameEquals("__metadata__"))
            {
                foreach (var entry in property.Value.EnumerateObject())
                {
                    metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                        ? entry.Value.GetString() ?? ""
                        : entry.Value.GetRawText();
                }

                continue;
            }

            tensors[property.Name] = ParseEntry(file.Path, property.Name, property.Value, dataStart, dataLength);
        }

        return (tensors, metadata);
    }

    private static JsonDocument ParseJson(MappedFile file, int length)
    {
        try
        {
            return JsonDocument.Parse(file.Span(8, length).ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file.Path}: the header is not valid JSON ({e.Message})", e);
        }
    }

    private static CheckpointTensorInfo ParseEntry(string path, string name, JsonElement entry, long dataStart,
        long dataLength)
    {
        try
        {
            string dtypeName = entry.GetProperty("dtype").GetString() ?? "";
            if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
            {
                throw new NotSupportedException($"dtype '{dtypeName}' is not supported");
            }

            long[] shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0))
            {
                throw new InvalidDataException("negative dimension");
            }

            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            {
                throw new InvalidDataException($"data_offsets [{string.Join(", ", offsets)}] outside the data");
            }

            var info = new CheckpointTensorInfo(name, dtype, shape, path, dataStart + offsets[0], offsets[1] - offsets[0]);
            long expected = checked(info.ElementCount * SafetensorsDTypes.ElementSize(dtype));
            if (expected != info.ByteLength)
            {
                throw new InvalidDataException(
                    $"{info.ByteLength} bytes for {dtypeName} {info.ShapeText}, expected {expected}");
            }

            return info;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException
                                      or InvalidDataException or NotSupportedException or OverflowException)
        {
            throw new InvalidDataException($"{path}: tensor '{name}': {e.Message}", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
