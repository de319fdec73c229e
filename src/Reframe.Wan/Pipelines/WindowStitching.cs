using static TorchSharp.torch;

namespace Reframe.Wan.Pipelines;

/// <summary>
/// Joins a window to the one before it. The window was conditioned on the previous window's last frames (its
/// overlap), so its first frames retell them; two corrections make the join invisible:
/// <list type="number">
/// <item>colours: per channel, the window's generated area is shifted and scaled so that over its own frames (after
/// the overlap) its mean and spread equal the previous window's over that window's own frames.
/// Windows are compared as wholes because a model's colour varies along a window (its first latent frame is
/// encoded alone; a window's retelling of its kept overlap need not have the overlap's statistics), so comparing
/// the frames either side of the seam would turn that variation into a drift that compounds window after window;
/// whole windows keep the colour where the first window put it. Changes within a window are untouched.</item>
/// <item>blend: over the overlap, a linear cross-fade from the previous window's frames to this window's.</item>
/// </list>
/// The kept area is not touched here: the engine pastes the source there once, at the end.
/// </summary>
public static class WindowStitching
{
    /// <summary>Colour scales are held within [1/2, 2]: a larger correction would hide a real failure, not fix drift.</summary>
    public const double MaxScale = 2.0;

    /// <summary>Per-channel mean and spread of the generated area over <paramref name="frames"/> ([1, 3, T, H, W]): [1, 3, 1, 1, 1] each.</summary>
    public static (Tensor Mean, Tensor Std) ColourStats(Tensor frames, Tensor generated)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(generated);
        using var scope = NewDisposeScope();
        long[] dims = [2, 3, 4];
        var area = generated.to(frames.dtype, frames.device);
        var weight = (area.sum() * frames.shape[2]).clamp_min(1);                                 // pixels per channel
        var mean = (frames * area).sum(dims, keepdim: true) / weight;                             // [1, 3, 1, 1, 1]
        var std = (((frames - mean).square() * area).sum(dims, keepdim: true) / weight).sqrt();
        return (mean.MoveToOuterDisposeScope(), std.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Gives <paramref name="window"/>'s generated area, over its frames after the overlap, the colour statistics of
    /// <paramref name="target"/> (the previous window's), and applies that correction to the whole window.
    /// </summary>
    /// <param name="window">[1, 3, L, H, W] in [0, 1].</param>
    /// <param name="overlap">How many of its first frames overlap the previous window.</param>
    /// <param name="target">The previous window's <see cref="ColourStats"/> over its own frames (after its overlap).</param>
    /// <param name="generated">[1, 1, 1, H, W], 1 where the canvas is generated (outside the kept rectangle).</param>
    public static Tensor MatchColours(Tensor window, int overlap, (Tensor Mean, Tensor Std) target, Tensor generated)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(generated);
        using var scope = NewDisposeScope();
        var area = generated.to(window.dtype, window.device);
        long own = window.shape[2] - overlap;
        if (own < 1 || area.sum().item<float>() < 1)
        {
            return window.alias().MoveToOuterDisposeScope();
        }

        var (mean, std) = ColourStats(window.narrow(2, overlap, own), area);
        var scale = (target.Std / std.clamp_min(1e-6)).clamp(1 / MaxScale, MaxScale);
        var corrected = ((window - mean) * scale + target.Mean).clamp(0, 1);
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
}
