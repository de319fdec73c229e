using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Text;

/// <summary>
/// Wan's <c>T5Attention</c> (self-attention here): no biases, and NO 1/sqrt(head_dim) scaling of the logits
/// (T5 folds it into the initialisation). The position bias is added to the logits; padded keys get
/// <c>finfo(dtype).min</c> in place of the bias (queries are not masked, so padded rows are computed too).
/// </summary>
public sealed class T5Attention : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly int _numHeads;
    private readonly int _headDim;

    private readonly int _fusedDim;
    private T5AttentionKernel _kernel;

    // Field names = checkpoint key segments.
    private readonly Linear q; // [dim_attn, dim]
    private readonly Linear k; // [dim_attn, dim]
    private readonly Linear v; // [dim_attn, dim]
    private readonly Linear o; // [dim, dim_attn]

    public T5Attention(int dim, int dimAttn, int numHeads, ModuleInit init) : base(nameof(T5Attention))
    {
        _numHeads = numHeads;
        _headDim = dimAttn / numHeads;
        q = init.Linear(dim, dimAttn, bias: false);
        k = init.Linear(dim, dimAttn, bias: false);
        v = init.Linear(dim, dimAttn, bias: false);
        o = init.Linear(dimAttn, dim, bias: false);
        _fusedDim = FusedHeadDim(_headDim);
        _kernel = T5AttentionKernel.Fused;
        register_module(nameof(q), q);
        register_module(nameof(k), k);
        register_module(nameof(v), v);
        register_module(nameof(o), o);
    }

    /// <summary>
    /// The head width the fused kernel runs at: the smallest power of four at or above head_dim, so that its
    /// 1/sqrt(width) is a power of two and undoing it on q is exact. Widths other than a power of four (8, 12, 24...)
    /// pad q and k with zero channels, which leaves every q.k unchanged.
    /// </summary>
    internal static int FusedHeadDim(int headDim)
    {
        int width = 1;
        while (width < headDim)
        {
            width *= 4;
        }

        return width;
    }

    /// <summary>The attention kernel (see <see cref="T5AttentionKernel"/>); both give the reference's values for any head size.</summary>
    public T5AttentionKernel Kernel
    {
        get => _kernel;
        set => _kernel = value;
    }

    /// <param name="x">[B, L, dim]</param>
    /// <param name="mask">[B, L] with 1 on tokens, 0 on padding</param>
    /// <param name="positionBias">[1, heads, L, L]</param>
    public override Tensor forward(Tensor x, Tensor mask, Tensor positionBias)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0];
        var query = q.forward(x).view(b, -1, _numHeads, _headDim);   // [B, L, H, c]
        var key = k.forward(x).view(b, -1, _numHeads, _headDim);     // [B, L, H, c]
        var value = v.forward(x).view(b, -1, _numHeads, _headDim);   // [B, L, H, c]

        // Bias: zeros + position bias, then masked keys REPLACED by the dtype's lowest value (masked_fill).
        // (the reference starts from zeros and adds the bias; masked_fill of the broadcast bias is the same values)
        var bias = positionBias.to(x.dtype).expand(b, -1, -1, -1)
            .masked_fill(mask.view(b, 1, 1, -1).eq(0), LowestValue(x.dtype)); // [B, H, L, L]

        Tensor attended;
        if (_kernel == T5AttentionKernel.Fused)
        {
            // No 1/sqrt(d) in T5: the kernel divides by sqrt(width of q), so q is multiplied by it first. The width
            // is a power of four (zero channels appended where head_dim is not), so that factor is a power of two.
            var fusedQuery = query.transpose(1, 2);                                              // [B, H, L, c]
            var fusedKey = key.transpose(1, 2);                                                  // [B, H, L, c]
            if (_fusedDim != _headDim)
            {
                fusedQuery = nn.functional.pad(fusedQuery, [0, _fusedDim - _headDim]);          // [B, H, L, c']
                fusedKey = nn.functional.pad(fusedKey, [0, _fusedDim - _headDim]);              // [B, H, L, c']
            }

            attended = nn.functional.scaled_dot_product_attention(fusedQuery * Math.Sqrt(_fusedDim), fusedKey,
                value.transpose(1, 2), bias, 0.0, false).transpose(1, 2);                    // [B, L, H, c]
        }
        else
        {
            var logits = einsum("binc,bjnc->bnij", query, key) + bias;                  // [B, H, L, L]
            var weights = nn.functional.softmax(logits.to(float32), -1).to(logits.dtype); // [B, H, L, L]
            attended = einsum("bnij,bjnc->binc", weights, value);                         // [B, L, H, c]
        }
        var merged = attended.reshape(b, -1, _numHeads * _headDim); // [B, L, dim_attn]
        return o.forward(merged).MoveToOuterDisposeScope();         // [B, L, dim]
    }

    /// <summary><c>torch.finfo(dtype).min</c>.</summary>
    internal static Scalar LowestValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => double.MinValue,
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        _ => float.MinValue,
    };
}
