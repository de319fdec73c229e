using System.Buffers;

namespace Reframe.Wan.Text;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>: the normaliser's output without per-call garbage.</summary>
internal sealed class PooledBytes : IDisposable
{
    private byte[] _buffer;
    private int _count;

    public PooledBytes(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, capacity));
        _count = 0;
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _count);

    public void Add(byte value)
    {
        if (_count == _buffer.Length)
        {
            Grow(1);
        }
        _buffer[_count++] = value;
    }

    public void Add(ReadOnlySpan<byte> values)
    {
        if (_count + values.Length > _buffer.Length)
        {
            Grow(values.Length);
        }
        values.CopyTo(_buffer.AsSpan(_count));
        _count += values.Length;
    }

    public bool EndsWith(ReadOnlySpan<byte> suffix) => Span.EndsWith(suffix);

    public void RemoveLast(int count) => _count -= Math.Min(count, _count);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _count = 0;
    }

    private void Grow(int extra)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _count + extra));
        _buffer.AsSpan(0, _count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
