using static TorchSharp.torch;

namespace Reframe.Wan.Vae;

/// <summary>
/// The causal history the Wan VAE carries between chunks (the reference's <c>feat_cache</c> / <c>feat_idx</c>):
/// one slot per temporal conv, taken in call order within every chunk, so a slot always belongs to the same
/// layer. A slot is empty, holds the last input frames of its conv, or is the upsampler's "Rep" marker.
/// </summary>
public sealed class FeatureCache : IDisposable
{
    private readonly List<Slot> _slots = [];
    private int _next;

    /// <summary>Starts a chunk: the next <see cref="Next"/> returns the first layer's slot again.</summary>
    public void BeginChunk() => _next = 0;

    public Slot Next()
    {
        if (_next == _slots.Count)
        {
            _slots.Add(new Slot());
        }

        return _slots[_next++];
    }

    public int SlotCount => _slots.Count;

    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.Clear();
        }

        _slots.Clear();
    }

    public sealed class Slot
    {
        /// <summary>The cached frames <c>[B, C, t&lt;=2, H, W]</c>, owned by the slot (outside any dispose scope).</summary>
        public Tensor? Frames { get; private set; }

        /// <summary>The reference's <c>'Rep'</c> string: set by a temporal upsampler on the first chunk.</summary>
        public bool IsRep { get; private set; }

        public bool IsEmpty => Frames is null && !IsRep;

        public void MarkRep()
        {
            Clear();
            IsRep = true;
        }

        /// <summary>Replaces the cached frames with a copy of <paramref name="frames"/>.</summary>
        public void Store(Tensor frames)
        {
            var copy = frames.clone().DetachFromDisposeScope();
            Clear();
            Frames = copy;
        }

        /// <summary>The last cached frame <c>[B, C, 1, H, W]</c>.</summary>
        public Tensor LastFrame() =>
            Frames is { } f ? f.narrow(2, f.shape[2] - 1, 1) : throw new InvalidOperationException("the slot is empty");

        public void Clear()
        {
            Frames?.Dispose();
            Frames = null;
            IsRep = false;
        }
    }
}
