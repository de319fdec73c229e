using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// A pickled PyTorch state dict (<c>torch.save(model.state_dict())</c>, the zip format of torch >= 1.6): entries
/// <c>&lt;stem&gt;/data.pkl</c> (the pickle) and <c>&lt;stem&gt;/data/&lt;key&gt;</c> (raw little-endian storages, stored
/// uncompressed). The file is memory-mapped; only the pickle is copied into managed memory, and each tensor is
/// copied from its storage's bytes on demand, so an 11 GB file costs one tensor's worth of memory at a time.
/// </summary>
public sealed class PthFile : ICheckpointReader
{
    private readonly MappedFile _file;
    private readonly Dictionary<string, CheckpointTensorInfo> _tensors;
    private readonly Dictionary<string, (PthTensor Tensor, StoredZipDirectory.Entry Storage)> _sources;

    private PthFile(MappedFile file, Dictionary<string, CheckpointTensorInfo> tensors,
        Dictionary<string, (PthTensor, StoredZipDirectory.Entry)> sources)
    {
        _file = file;
        _tensors = tensors;
        _sources = sources;
    }

    public string Path => _file.Path;

    public IReadOnlyDictionary<string, CheckpointTensorInfo> Tensors => _tensors;

    /// <summary>Maps the archive, reads its directory and unpickles the state dict (no tensor data is read).</summary>
    public static PthFile Open(string path)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("torch.save storages are little-endian; this machine is not");
        }

        var file = new MappedFile(path);
        try
        {
            var entries = StoredZipDirectory.Read(file);
            // The folder inside the archive is the saved file's stem ("archive" only by default): find data.pkl.
            var pickleEntry = entries.Values.SingleOrDefault(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal))
                ?? throw new InvalidDataException($"{path}: no <stem>/data.pkl entry (not a torch.save zip archive?)");
            string prefix = pickleEntry.Name[..^"data.pkl".Length];
            byte[] pickle = file.Span(pickleEntry.DataOffset, checked((int)pickleEntry.Length)).ToArray();
            object? root = StateDictUnpickler.Load(pickle);

            var tensors = new Dictionary<string, CheckpointTensorInfo>(StringComparer.Ordinal);
            var sources = new Dictionary<string, (PthTensor, StoredZipDirectory.Entry)>(StringComparer.Ordinal);
            foreach (var (key, value) in StateDict(root, path))
            {
                if (!entries.TryGetValue(prefix + "data/" + value.Storage.Key, out var storage))
                {
                    throw new InvalidDataException($"{path}: storage '{value.Storage.Key}' of '{key}' is missing");
                }

                var info = Describe(path, key, value, storage);
                tensors[key] = info;
                sources[key] = (value, storage);
            }

            return new PthFile(file, tensors, sources);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or InvalidCastException
                                      or OverflowException)
        {
            file.Dispose();
            throw e is InvalidDataException ide && ide.Message.StartsWith(path, StringComparison.Ordinal)
                ? e
                : new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public Tensor ReadTensor(string name, ScalarType? dtype = null, Device? device = null) =>
        SafetensorsFile.Convert(ReadRaw(name), dtype, device);

    public void CopyInto(string name, Tensor destination)
    {
        SafetensorsFile.CheckShape(Get(name), destination);
        using var raw = ReadRaw(name);
        using var noGrad = no_grad();
        destination.copy_(raw);
    }

    private CheckpointTensorInfo Get(string name) =>
        _tensors.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    private Tensor ReadRaw(string name)
    {
        var info = Get(name);
        var (tensor, storage) = _sources[name];
        if (tensor.IsContiguous)
        {
            return _file.ReadTensor(info.Offset, info.DType, info.Shape);
        }

        // A strided view (rare in state dicts): read the storage span it covers, then take the view.
        long span = Extent(tensor);
        using var flat = _file.ReadTensor(info.Offset, info.DType, [span]);
        using var view = flat.as_strided(tensor.Shape, tensor.Stride);
        return view.contiguous();
    }

    private static CheckpointTensorInfo Describe(string path, string key, PthTensor tensor,
        StoredZipDirectory.Entry storage)
    {
        int size = SafetensorsDTypes.ElementSize(tensor.Storage.DType);
        long elements = tensor.Shape.Aggregate(1L, (n, d) => checked(n * d));
        long covered = tensor.IsContiguous ? elements : Extent(tensor);
        if (tensor.StorageOffset < 0 || tensor.Shape.Any(d => d < 0) || tensor.Stride.Any(s => s < 0)
            || tensor.Shape.Length != tensor.Stride.Length
            || checked((tensor.StorageOffset + covered) * size) > storage.Length)
        {
            throw new InvalidDataException($"{path}: tensor '{key}' does not fit its storage");
        }

        return new CheckpointTensorInfo(key, tensor.Storage.DType, tensor.Shape, path,
            storage.DataOffset + tensor.StorageOffset * size, elements * size);
    }

    private static long Extent(PthTensor tensor) =>
        tensor.Shape.Any(d => d == 0) ? 0 : 1 + tensor.Shape.Zip(tensor.Stride, (d, s) => (d - 1) * s).Sum();

    private static IEnumerable<(string Key, PthTensor Tensor)> StateDict(object? root, string path)
    {
        if (root is not PickleDict dict)
        {
            throw new InvalidDataException($"{path}: the pickle is not a dict (a state dict was expected)");
        }

        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not PthTensor tensor)
            {
                throw new InvalidDataException(
                    $"{path}: entry '{key}' is not a tensor; only plain state dicts (name -> tensor) are read");
            }

            yield return (name, tensor);
        }
    }

    public void Dispose() => _file.Dispose();
}
