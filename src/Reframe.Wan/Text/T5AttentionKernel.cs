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
    /// kernel's 1/sqrt(head_dim) undoes; that only rounds at float precision when sqrt(head_dim) is a power of two
    /// (16, 64: UMT5's 64 included), so other head sizes use <see cref="Explicit"/>. Softmax is accumulated in
    /// float32 inside the kernel. Default where allowed: 1.3x to 2.6x faster on the tiny model (docs/benchmarks.md).
    /// </summary>
    Fused,
}
