using System.Buffers;
using Reframe.Core.Engines;

namespace Reframe.Media.Pipeline;

/// <summary>
/// The source frames the engine has read, kept for pasting back into its output. Only the last
/// <c>window</c> are kept (pooled buffers); an engine that reads further ahead (a whole clip at once) gets
/// older frames from a second, forward-only decode of the source, so memory stays bounded either way.
/// </summary>
internal sealed class SourceFrameStore(int window, int frameBytes, Func<IFrameReader> openFallback, Func<ValueTask> disposeFallback) : IAsyncDisposable
{
    private readonly Queue<(int Index, byte[] Buffer)> _kept = new();
    private IFrameReader? _fallback;
    private int _fallbackNext;
    private byte[]? _fallbackFrame;

    /// <summary>Takes ownership of <paramref name="buffer"/> (rented from the shared pool).</summary>
    public void Put(int index, byte[] buffer)
    {
        _kept.Enqueue((index, buffer));
        while (_kept.Count > Math.Max(1, window))
        {
            ArrayPool<byte>.Shared.Return(_kept.Dequeue().Buffer);
        }
    }

    /// <summary>Source frame <paramref name="index"/>; valid until the next call. Indices must not go backwards past the window.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> GetAsync(int index, CancellationToken cancellationToken)
    {
        foreach (var (i, buffer) in _kept)
        {
            if (i == index)
            {
                return buffer.AsMemory(0, frameBytes);
            }
        }
        _fallback ??= openFallback();
        _fallbackFrame ??= new byte[frameBytes];
        if (index < _fallbackNext - 1)
        {
            throw new InvalidOperationException($"source frame {index} was requested after frame {_fallbackNext - 1}; frames must be written in order");
        }
        while (_fallbackNext <= index)
        {
            if (!await _fallback.ReadFrameAsync(_fallbackFrame, cancellationToken))
            {
                throw new InvalidOperationException($"source frame {index} is beyond the planned frames");
            }
            _fallbackNext++;
        }
        return _fallbackFrame;
    }

    public async ValueTask DisposeAsync()
    {
        while (_kept.Count > 0)
        {
            ArrayPool<byte>.Shared.Return(_kept.Dequeue().Buffer);
        }
        if (_fallback is not null)
        {
            await disposeFallback();
        }
    }
}
