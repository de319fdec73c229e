using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Media.Probing;

namespace Reframe.Media.Planning;

/// <summary>
/// The reframe plan of API.md ("Canvas"): canvas size, fit and zoom, placement, the keep rectangle with its
/// seam, and frame selection. Pure: the border trim is detected beforehand (<see cref="BorderDetector"/>) and
/// passed in, so every rule is tested without a video.
/// </summary>
public static class ReframePlanner
{
    /// <param name="source">The probed source (displayed size, rotation applied).</param>
    /// <param name="options">The validated request.</param>
    /// <param name="trimBox">The content box after border trimming; null (or <c>trim_borders: false</c>) keeps the whole frame.</param>
    /// <param name="settings">The tunables.</param>
    public static ReframePlan Plan(MediaInfo source, GenerationOptions options, PixelRect? trimBox, MediaSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Width, 1, nameof(source));
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Height, 1, nameof(source));

        var tier = options.Resolution == Resolution.Auto ? CanvasTable.NearestTier(source.Width, source.Height) : options.Resolution;
        // aspect auto follows the shape before trimming: trimming bars and filling that area "un-letterboxes" a clip.
        var (canvasWidth, canvasHeight) = options.AspectRatio == AspectRatio.Auto
            ? CanvasTable.AutoSize(tier, source.Width, source.Height, settings.AutoAspectMultiple, settings.AutoAspectMaxRatio, settings.AutoAspectSnapTolerance)
            : CanvasTable.Size(tier, options.AspectRatio);

        var content = options.TrimBorders && trimBox is { IsEmpty: false } box ? box : new PixelRect(0, 0, source.Width, source.Height);

        var fit = Math.Min((double)canvasWidth / content.Width, (double)canvasHeight / content.Height);
        var zoom = Math.Clamp(options.ZoomFactor, 0, 0.95);
        var scale = settings.ZoomReading == ZoomReading.DivideByOneMinusZoom ? fit / (1 - zoom) : fit * (1 + zoom);
        var scaledWidth = SnapToCanvas(content.Width * scale, canvasWidth);
        var scaledHeight = SnapToCanvas(content.Height * scale, canvasHeight);

        // Centre; an odd leftover puts the extra pixel on the right/bottom (floor of a possibly negative half).
        var offsetX = (int)Math.Floor((canvasWidth - scaledWidth) / 2.0);
        var offsetY = (int)Math.Floor((canvasHeight - scaledHeight) / 2.0);
        var contentRect = Intersect(new PixelRect(offsetX, offsetY, scaledWidth, scaledHeight), canvasWidth, canvasHeight);
        var keepRect = InsetBySeam(contentRect, canvasWidth, canvasHeight, settings.SeamPixels);

        var frames = FramePlanner.Plan(source, options, settings);
        return new ReframePlan(canvasWidth, canvasHeight, tier, content, scaledWidth, scaledHeight, offsetX, offsetY, contentRect, keepRect, frames);
    }

    /// <summary>Rounds a scaled side; within a pixel of the canvas side it becomes the canvas side (no 1 px slivers to generate).</summary>
    internal static int SnapToCanvas(double scaled, int canvasSide)
    {
        var rounded = Math.Max(1, (int)Math.Round(scaled, MidpointRounding.AwayFromZero));
        return Math.Abs(rounded - canvasSide) <= 1 ? canvasSide : rounded;
    }

    internal static PixelRect Intersect(PixelRect rect, int width, int height)
    {
        var left = Math.Max(0, rect.X);
        var top = Math.Max(0, rect.Y);
        var right = Math.Min(width, rect.Right);
        var bottom = Math.Min(height, rect.Bottom);
        return new PixelRect(left, top, Math.Max(0, right - left), Math.Max(0, bottom - top));
    }

    /// <summary>Insets the sides that border generated area (not those on the canvas edge) by the seam.</summary>
    internal static PixelRect InsetBySeam(PixelRect content, int width, int height, int seam)
    {
        var left = content.X > 0 ? content.X + seam : content.X;
        var top = content.Y > 0 ? content.Y + seam : content.Y;
        var right = content.Right < width ? content.Right - seam : content.Right;
        var bottom = content.Bottom < height ? content.Bottom - seam : content.Bottom;
        if (right <= left || bottom <= top)
        {
            // Content thinner than two seams: nothing is kept, the engine generates it all.
            return new PixelRect(content.X + content.Width / 2, content.Y + content.Height / 2, 0, 0);
        }
        return new PixelRect(left, top, right - left, bottom - top);
    }
}
