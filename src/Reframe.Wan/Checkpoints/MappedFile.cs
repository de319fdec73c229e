using System.IO.MemoryMappedFiles;
using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// A read-only memory map of a whole file. Tensors are copied from the mapped pages straight into libtorch
/// storage, so reading a tensor never materialises the file (or the tensor) in a managed array, and the OS
/// pages the file in and out as needed.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    // Span lengths are ints: copy big tensors in slices well below 2 GiB.
    private const long CopySliceBytes = 1L << 30;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    public MappedFile(string path)
    {
        Path = path;
        Length = new FileInfo(path).Length;
        if (Length == 0)
        {
            throw new InvalidDataException($"{path}: the file is empty");
        }

        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    public string Path { get; }

    public long Length { get; }

    /// <summary>A view of a region small enough for a span (headers, pickles).</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        CheckRange(offset, length);
        return new ReadOnlySpan<byte>(_base + offset, length);
    }

    /// <summary>Reads raw little-endian elements at <paramref name="offset"/> into a new CPU tensor.</summary>
    public Tensor ReadTensor(long offset, ScalarType dtype, long[] shape)
    {
        long count = shape.Aggregate(1L, (n, d) => checked(n * d));
        long byteLength = checked(count * SafetensorsDTypes.ElementSize(dtype));
        CheckRange(offset, byteLength);

        var tensor = empty(shape, dtype, CPU);
        if (count == 0)
        {
            return tensor;
        }

        using var flat = tensor.reshape(-1); // a view: the tensor is fresh and contiguous
        long elementSize = SafetensorsDTypes.ElementSize(dtype);
        long sliceElements = CopySliceBytes / elementSize;
        for (long start = 0; start < count; start += sliceElements)
        {
            long n = Math.Min(sliceElements, count - start);
            using var slice = flat.narrow(0, start, n);
            var source = new ReadOnlySpan<byte>(_base + offset + start * elementSize, checked((int)(n * elementSize)));
            source.CopyTo(slice.bytes); // `bytes` is a span over the slice's own storage (CPU, contiguous)
        }

        return tensor;
    }

    private void CheckRange(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new InvalidDataException(
                $"{Path}: bytes [{offset}, {offset + length}) lie outside the file ({Length} bytes)");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
