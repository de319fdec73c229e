using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Wan's 3-D rotary embedding. A head of d channels is d/2 complex pairs formed from INTERLEAVED channels
/// (x[2p], x[2p+1]), not halves. The pairs are split frame / row / column as
/// <c>[c - 2(c/3), c/3, c/3]</c> with c = d/2 (22/21/21 for d = 128), each group with its own frequencies
/// <c>10000^(-2k/d_group)</c> where d_group = 2 x its pair count (44/42/42). Angles are computed in float64 like
/// the reference (which rotates in float64); the rotation itself runs in float32, which stays within 1e-7.
/// </summary>
public static class RopeFrequencies
{
    /// <summary>The reference precomputes 1024 positions per axis.</summary>
    public const int TablePositions = 1024;

    /// <summary>Pair counts per axis (frame, row, column) for a head dimension.</summary>
    public static (int Frame, int Row, int Column) PairSplit(int headDim)
    {
        int pairs = headDim / 2;
        int third = pairs / 3;
        return (pairs - 2 * third, third, third);
    }

    /// <summary>
    /// The per-axis angle table, position x pair: angles for positions 0..positions-1 of the concatenated
    /// frame/row/column groups (the reference's <c>freqs</c>, as angles). Float64 [positions, headDim/2].
    /// </summary>
    public static Tensor AngleTable(int headDim, int positions = TablePositions)
    {
        using var scope = NewDisposeScope();
        var (frame, row, column) = PairSplit(headDim);
        var pos = arange(positions, dtype: ScalarType.Float64);                                          // [P]
        var table = cat([AxisAngles(pos, frame), AxisAngles(pos, row), AxisAngles(pos, column)], dim: 1); // [P, d/2]
        return table.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// cos and sin of every token's rotation for a (f, h, w) token grid, tokens in f, h, w order.
    /// Float32 [L, d/2] each, on <paramref name="device"/>.
    /// </summary>
    public static (Tensor Cos, Tensor Sin) ForGrid(int headDim, int frames, int rows, int columns, Device device)
    {
        using var scope = NewDisposeScope();
        var (frame, row, column) = PairSplit(headDim);
        var posF = arange(frames, dtype: ScalarType.Float64);
        var posH = arange(rows, dtype: ScalarType.Float64);
        var posW = arange(columns, dtype: ScalarType.Float64);
        var angF = AxisAngles(posF, frame).view(frames, 1, 1, frame).expand(frames, rows, columns, frame);       // [f, h, w, pf]
        var angH = AxisAngles(posH, row).view(1, rows, 1, row).expand(frames, rows, columns, row);               // [f, h, w, ph]
        var angW = AxisAngles(posW, column).view(1, 1, columns, column).expand(frames, rows, columns, column);    // [f, h, w, pw]
        var angles = cat([angF, angH, angW], dim: -1).reshape(frames * rows * columns, headDim / 2);             // [L, d/2]
        var c = cos(angles).to_type(ScalarType.Float32).to(device);
        var s = sin(angles).to_type(ScalarType.Float32).to(device);
        return (c.MoveToOuterDisposeScope(), s.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Rotates q or k: <c>(a, b) -> (a cos - b sin, a sin + b cos)</c> per interleaved pair, same angles for every
    /// head. Computed in float32, returned in the input dtype.
    /// </summary>
    /// <param name="x">[B, L, heads, d].</param>
    /// <param name="cosTable">[L, d/2] float32.</param>
    /// <param name="sinTable">[L, d/2] float32.</param>
    public static Tensor Apply(Tensor x, Tensor cosTable, Tensor sinTable)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], l = x.shape[1], n = x.shape[2], d = x.shape[3];
        var pairs = x.to_type(ScalarType.Float32).view(b, l, n, d / 2, 2);   // [B, L, n, d/2, 2]
        var real = pairs.select(-1, 0);                                        // [B, L, n, d/2]
        var imag = pairs.select(-1, 1);
        var c = cosTable.view(1, l, 1, d / 2);
        var s = sinTable.view(1, l, 1, d / 2);
        var rotated = stack([real * c - imag * s, real * s + imag * c], dim: -1); // [B, L, n, d/2, 2]
        return rotated.view(b, l, n, d).to_type(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>pos x 10000^(-2k/(2 pairs)) for k = 0..pairs-1, float64 [P, pairs].</summary>
    private static Tensor AxisAngles(Tensor positions, int pairs)
    {
        int groupDim = 2 * pairs;
        var omega = pow(10000.0, arange(0, groupDim, 2, dtype: ScalarType.Float64).div(groupDim)).reciprocal(); // [pairs]
        return outer(positions, omega);
    }
}
