using Reframe.Core.Requests;

namespace Reframe.Media.Planning;

/// <summary>The tier x aspect table of API.md ("Canvas", step 3) and the <c>auto</c> rules around it.</summary>
public static class CanvasTable
{
    /// <summary>The fixed canvas of a concrete tier and aspect.</summary>
    public static (int Width, int Height) Size(Resolution tier, AspectRatio aspect) => (tier, aspect) switch
    {
        (Resolution.P480, AspectRatio.Landscape16x9) => (832, 480),
        (Resolution.P480, AspectRatio.Portrait9x16) => (480, 832),
        (Resolution.P480, AspectRatio.Square1x1) => (624, 624),
        (Resolution.P580, AspectRatio.Landscape16x9) => (1024, 576),
        (Resolution.P580, AspectRatio.Portrait9x16) => (576, 1024),
        (Resolution.P580, AspectRatio.Square1x1) => (768, 768),
        (Resolution.P720, AspectRatio.Landscape16x9) => (1280, 720),
        (Resolution.P720, AspectRatio.Portrait9x16) => (720, 1280),
        (Resolution.P720, AspectRatio.Square1x1) => (960, 960),
        _ => throw new ArgumentOutOfRangeException(nameof(aspect), $"no fixed canvas for {tier} x {aspect}"),
    };

    /// <summary>The short side of each tier, used by <c>resolution: auto</c>.</summary>
    public static int ShortSide(Resolution tier) => tier switch
    {
        Resolution.P480 => 480,
        Resolution.P580 => 576,
        Resolution.P720 => 720,
        _ => throw new ArgumentOutOfRangeException(nameof(tier)),
    };

    /// <summary><c>resolution: auto</c>: the tier whose short side is nearest the source's short side (ties go down; at most 720p).</summary>
    public static Resolution NearestTier(int sourceWidth, int sourceHeight)
    {
        var shortSide = Math.Min(sourceWidth, sourceHeight);
        var best = Resolution.P480;
        foreach (var tier in new[] { Resolution.P480, Resolution.P580, Resolution.P720 })
        {
            if (Math.Abs(ShortSide(tier) - shortSide) < Math.Abs(ShortSide(best) - shortSide))
            {
                best = tier;
            }
        }
        return best;
    }

    /// <summary>
    /// <c>aspect_ratio: auto</c>: the source's shape at about the tier's area (that of its 16:9 canvas), both sides
    /// multiples of <paramref name="multiple"/>; the table's canvas when the shape is within <paramref name="snapTolerance"/> of one
    /// of its aspects. Shapes beyond <paramref name="maxRatio"/> are clamped to it.
    /// </summary>
    public static (int Width, int Height) AutoSize(Resolution tier, int sourceWidth, int sourceHeight, int multiple, double maxRatio, double snapTolerance)
    {
        var shape = (double)sourceWidth / sourceHeight;
        foreach (var aspect in new[] { AspectRatio.Landscape16x9, AspectRatio.Portrait9x16, AspectRatio.Square1x1 })
        {
            var (w, h) = Size(tier, aspect);
            if (Math.Abs(shape / ((double)w / h) - 1) <= snapTolerance)
            {
                return (w, h);
            }
        }
        var (w16, h16) = Size(tier, AspectRatio.Landscape16x9);
        double area = (double)w16 * h16;
        var ratio = Math.Clamp((double)sourceWidth / sourceHeight, 1 / maxRatio, maxRatio);
        var width = RoundTo(Math.Sqrt(area * ratio), multiple);
        var height = RoundTo(Math.Sqrt(area / ratio), multiple);
        return (width, height);
    }

    public static string WireName(Resolution tier) => WireNames.Of(tier);

    private static int RoundTo(double value, int multiple) => Math.Max(multiple, (int)Math.Round(value / multiple, MidpointRounding.AwayFromZero) * multiple);
}
