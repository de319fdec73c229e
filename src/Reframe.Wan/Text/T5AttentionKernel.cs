namespace Reframe.Wan.Text;

/// <summary>How <see cref="T5Attention"/> computes softmax(q k^T + bias) v. Both give the reference's values.</summary>
public enum T5AttentionKernel
{
    /// <summary>
    /// The reference's own ops: explicit logits, bias added, softmax in float32, cast back (Wan's t5.py line by
    /// line). Materialises the [B, H, L, L] logits.
    /// </summary>
    Explicit,

    /// <summary>
    /// libtorch's fused <c>scaled_dot_product_attention</c> with the bias as an additive mask. TorchSharp's binding
    /// has no <c>scale</c> argument and T5 uses none, so q is multiplied by sqrt(head_dim) first, which the
    /// kernel's 1/sqrt(head_dim) undoes; that is exact only when sqrt(head_dim) is a power of two (16, 64: UMT5's 64
    /// included), so other head sizes (8, 12, 24...) pad q and k with zero channels up to the next power of four,
    /// which changes no q.k. Softmax is accumulated in float32 inside the kernel. The default: 1.3x to 2.6x faster
    /// on the tiny model (docs/benchmarks.md).
    /// </summary>
    Fused,
}
