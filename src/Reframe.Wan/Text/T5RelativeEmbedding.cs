using Reframe.Wan.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>
/// Wan's <c>T5RelativeEmbedding</c> (bidirectional): a learned bias per head and relative-position bucket,
/// <c>bias[0, h, i, j] = embedding.weight[bucket(j - i), h]</c> for query i and key j.
/// </summary>
public sealed class T5RelativeEmbedding : nn.Module<long, long, Tensor>
{
    private readonly int _numBuckets;
    private readonly int _maxDistance;

    // Field name = checkpoint key segment.
    private readonly LookupEmbedding embedding; // [buckets, heads]

    public T5RelativeEmbedding(int numBuckets, int numHeads, ModuleInit init, int maxDistance = Umt5Config.MaxDistance)
        : base(nameof(T5RelativeEmbedding))
    {
        _numBuckets = numBuckets;
        _maxDistance = maxDistance;
        embedding = new LookupEmbedding(numBuckets, numHeads, init);
        register_module(nameof(embedding), embedding);
    }

    /// <summary>Position bias <c>[1, heads, queryLength, keyLength]</c>.</summary>
    public override Tensor forward(long queryLength, long keyLength)
    {
        using var scope = NewDisposeScope();
        var buckets = Buckets(queryLength, keyLength, embedding.Device); // [Lq, Lk]
        return FromBuckets(buckets).MoveToOuterDisposeScope();                     // [1, H, Lq, Lk]
    }

    /// <summary>
    /// The bias for precomputed <see cref="Buckets"/>: the buckets depend only on the lengths, so an encoder
    /// computes them once per forward and every block looks up its own table.
    /// </summary>
    public Tensor FromBuckets(Tensor buckets)
    {
        using var scope = NewDisposeScope();
        var bias = embedding.forward(buckets);                                        // [Lq, Lk, H]
        return bias.permute(2, 0, 1).unsqueeze(0).contiguous().MoveToOuterDisposeScope(); // [1, H, Lq, Lk]
    }

    /// <summary>
    /// <c>_relative_position_bucket</c> for <c>rel = key - query</c>, with the reference's own tensor ops so the
    /// float32 log lands on the same side of every boundary: half the buckets per direction (+half when the
    /// key is after the query); exact below <c>max_exact = buckets/4</c>, log-spaced up to the max distance,
    /// saturated at the last bucket.
    /// </summary>
    public Tensor Buckets(long queryLength, long keyLength, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var rel = arange(keyLength, int64, device).unsqueeze(0) - arange(queryLength, int64, device).unsqueeze(1); // [Lq, Lk]
        int perDirection = _numBuckets / 2;
        int maxExact = perDirection / 2;
        var buckets = rel.gt(0).to(int64) * perDirection;
        var distance = rel.abs();
        var large = (distance.to(float32).div(maxExact).log()
                     .div(Math.Log((double)_maxDistance / maxExact)) * (perDirection - maxExact)).to(int64) + maxExact;
        large = minimum(large, full_like(large, perDirection - 1));
        buckets = buckets + where(distance.lt(maxExact), distance, large);
        return buckets.MoveToOuterDisposeScope(); // [Lq, Lk]
    }
}
