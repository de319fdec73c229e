using static TorchSharp.torch;

namespace Reframe.Wan.Pipelines;

/// <summary>
/// Joins a window to the one before it. The window was conditioned on the previous window's last frames (its
/// overlap), so its first frames retell them; two small corrections make the join invisible:
/// <list type="number">
/// <item>colours: per channel, the window's generated area is shifted and scaled so that over the overlap its
/// mean and spread equal the previous window's (decode drift and the model's colour wander otherwise accumulate
/// window after window);</item>
/// <item>blend: over the overlap, a linear cross-fade from the previous window's frames to this window's.</item>
/// </list>
/// The kept area is not touched here: the engine pastes the source there once, at the end.
/// </summary>
public static class WindowStitching
{
    /// <summary>Colour scales are held within [1/2, 2]: a larger correction would hide a real failure, not fix drift.</summary>
    public const double MaxScale = 2.0;

    /// <summary>
    /// Matches <paramref name="window"/>'s colour statistics in the generated area to <paramref name="previous"/>'s over
    /// the overlap, and applies the correction to the whole window.
    /// </summary>
    /// <param name="window">[1, 3, L, H, W] in [0, 1]; its first O frames overlap.</param>
    /// <param name="previous">[1, 3, O, H, W] in [0, 1]: the previous window's frames for the overlap.</param>
    /// <param name="generated">[1, 1, 1, H, W], 1 where the canvas is generated (outside the kept rectangle).</param>
    public static Tensor MatchColours(Tensor window, Tensor previous, Tensor generated)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(generated);
        using var scope = NewDisposeScope();
        long overlap = previous.shape[2];
        var area = generated.to(window.dtype, window.device);
        var weight = area.sum() * overlap;                                                        // pixels per channel
        if (weight.item<float>() < 1)
        {
            return window.alias().MoveToOuterDisposeScope();
        }

        var (meanNew, stdNew) = Stats(window.narrow(2, 0, overlap), area, weight);               // [1, 3, 1, 1, 1] each
        var (meanOld, stdOld) = Stats(previous, area, weight);
        var scale = (stdOld / stdNew.clamp_min(1e-6)).clamp(1 / MaxScale, MaxScale);
        var corrected = ((window - meanNew) * scale + meanOld).clamp(0, 1);
        // Only the generated area changes: the kept area is replaced by the source later anyway.
        return (corrected * area + window * (1 - area)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cross-fades the overlap: frame j of O gets weight (j + 1) / (O + 1) for this window and the rest for the
    /// previous one, so neither side's frames appear unblended at the seam. Returns the whole window.
    /// </summary>
    public static Tensor BlendOverlap(Tensor window, Tensor previous)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(previous);
        using var scope = NewDisposeScope();
        long overlap = previous.shape[2];
        if (overlap == 0)
        {
            return window.alias().MoveToOuterDisposeScope();
        }

        var alpha = (arange(1, overlap + 1, dtype: window.dtype, device: window.device) / (overlap + 1))
            .view(1, 1, overlap, 1, 1);                                                         // [1, 1, O, 1, 1]
        var head = window.narrow(2, 0, overlap) * alpha + previous.to(window.dtype, window.device) * (1 - alpha);
        var rest = window.narrow(2, overlap, window.shape[2] - overlap);
        return cat([head, rest], 2).MoveToOuterDisposeScope();
    }

    private static (Tensor Mean, Tensor Std) Stats(Tensor frames, Tensor area, Tensor weight)
    {
        long[] dims = [2, 3, 4];
        var mean = (frames * area).sum(dims, keepdim: true) / weight;                             // [1, 3, 1, 1, 1]
        var variance = ((frames - mean).square() * area).sum(dims, keepdim: true) / weight;
        return (mean, variance.sqrt());
    }
}
