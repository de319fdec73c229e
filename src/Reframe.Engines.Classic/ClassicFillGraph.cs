using System.Globalization;
using Reframe.Core.Engines;
using Reframe.Media.Graph;

namespace Reframe.Engines.Classic;

/// <summary>
/// The classic fill as ffmpeg filters (pure; <see cref="ClassicEngine.DescribeFill"/>), the same look as the streamed
/// <see cref="BlurFill"/>: the content scaled to cover the canvas on a grid <see cref="ClassicEngineSettings.GridDownscale"/>
/// times coarser (an area average of the covered window), box-blurred, smoothed over time, dimmed, upsampled bilinearly;
/// the sharp content over it, its seam band feathered from the source (keep edge) to the fill (content edge). All work
/// at full size is one upsample and one overlay, in YUV: blur, averaging and interpolation are linear, so they equal
/// the RGB computation, and the dim scales the distance from black (Y 16, chroma 128) as dimming RGB does.
/// </summary>
internal static class ClassicFillGraph
{
    public static string Build(FillGraphJob job, ClassicEngineSettings settings)
    {
        var (width, height, content, keep) = (job.CanvasWidth, job.CanvasHeight, job.ContentRect, job.KeepRect);
        const string In = FillGraphJob.ContentLabel;
        const string Out = FillGraphJob.CanvasLabel;
        if (keep == new PixelRect(0, 0, width, height) || content.IsEmpty)
        {
            return $"[{In}]null[{Out}]"; // nothing to generate
        }
        var fill = $"{CoverGrid(width, height, content, settings)},{Smoothing(settings)}{Dim(settings)},{Inv($"scale={width}:{height}:flags=bilinear")}";
        if (keep.IsEmpty)
        {
            // Content thinner than two seams keeps nothing (as BlurFill): the fill covers it too.
            return $"[{In}]{fill}[{Out}]";
        }
        return string.Join(';',
            $"[{In}]split=2[sharp][cover]",
            $"[cover]{fill}[fill]",
            $"{SeamMask(job)}[mask]",
            "[sharp]format=yuva444p[sharpa]",
            "[sharpa][mask]alphamerge[feathered]",
            Inv($"[fill][feathered]overlay={content.X}:{content.Y}:format=yuv444:shortest=1[{Out}]"));
    }

    /// <summary>The window of the content that covers the canvas (centred), area-averaged down to the grid, then blurred.</summary>
    private static string CoverGrid(int width, int height, PixelRect content, ClassicEngineSettings settings)
    {
        var down = Math.Max(1, settings.GridDownscale);
        var gridWidth = Math.Max(1, (width + down - 1) / down);
        var gridHeight = Math.Max(1, (height + down - 1) / down);
        var cover = Math.Max((double)width / content.Width, (double)height / content.Height);
        var windowWidth = Math.Clamp((int)Math.Round(width / cover), 1, content.Width);
        var windowHeight = Math.Clamp((int)Math.Round(height / cover), 1, content.Height);
        var chain = Inv($"crop={windowWidth}:{windowHeight}:{(content.Width - windowWidth) / 2}:{(content.Height - windowHeight) / 2},scale={gridWidth}:{gridHeight}:flags=area");
        // boxblur refuses a radius over half the plane's smaller side.
        var radius = Math.Min(settings.BlurRadius, Math.Min(gridWidth, gridHeight) / 2);
        if (radius > 0 && settings.BlurPasses > 0)
        {
            chain += Inv($",boxblur={radius}:{settings.BlurPasses}:{radius}:{settings.BlurPasses}");
        }
        return chain;
    }

    /// <summary>
    /// Temporal smoothing as BlurFill's: each grid cell an exponential average over time with weight
    /// <see cref="ClassicEngineSettings.TemporalSmoothing"/> a, here over the last (1 + a) / (1 - a) frames (7 for the
    /// default 0.75: the older weights sum to under 14%) with ffmpeg's tmix, newest frame weighted 1, the one before a,
    /// then a², ... Why not atadenoise (no lag, stops at cuts): in ffmpeg 5.1 it made the process grow with the clip
    /// (490 MB at 81 frames of 720p, 690 MB at 241) and hung on clips shorter than half its window; tmix holds its
    /// window only. What this gives up: BlurFill restarts its average at a scene cut, tmix blends the new scene in over
    /// about three frames (a sixth of a second at 16 fps), in the blurred fill only.
    /// </summary>
    private static string Smoothing(ClassicEngineSettings settings)
    {
        var a = Math.Clamp(settings.TemporalSmoothing, 0f, 0.95f);
        var frames = Math.Min((int)Math.Round((1 + a) / (1 - a)), 39);
        if (a <= 0 || frames < 2)
        {
            return "";
        }
        // tmix weighs its window oldest first.
        var weights = Enumerable.Range(0, frames).Select(age => Math.Pow(a, frames - 1 - age).ToString("0.####", CultureInfo.InvariantCulture));
        return Inv($"tmix=frames={frames}:weights={string.Join(' ', weights)},");
    }

    /// <summary>Dimming RGB by b is, in limited-range YUV, scaling the distance from black (Y 16, Cb/Cr 128) by b.</summary>
    private static string Dim(ClassicEngineSettings settings)
    {
        var b = settings.FillBrightness.ToString("0.####", CultureInfo.InvariantCulture);
        return $"lutyuv=y=16+(val-16)*{b}:u=128+(val-128)*{b}:v=128+(val-128)*{b}";
    }

    /// <summary>
    /// The content's alpha: 255 inside the keep rectangle, falling by 1/(seam+1) per pixel of distance outside it (the
    /// seam band), as BlurFill's feather. Computed once on one frame and looped, so geq never runs per frame. The loop is
    /// finite (the frames the job uses and a margin): an endless mask kept ffmpeg 5.1 spinning when a damaged source
    /// ended before its first frame.
    /// </summary>
    private static string SeamMask(FillGraphJob job)
    {
        var (content, keep) = (job.ContentRect, job.KeepRect);
        var seam = Math.Max(Math.Max(keep.X - content.X, keep.Y - content.Y), Math.Max(content.Right - keep.Right, content.Bottom - keep.Bottom));
        var (x0, y0) = (keep.X - content.X, keep.Y - content.Y);
        var (x1, y1) = (x0 + keep.Width - 1, y0 + keep.Height - 1);
        var distance = Inv($@"max(max(max({x0}-X\,X-{x1})\,max({y0}-Y\,Y-{y1}))\,0)");
        return Inv($"color=c=white:s={content.Width}x{content.Height}:r={job.Rate},trim=end_frame=1,format=gray,") +
            Inv($@"geq=lum='255*max(0\,1-{distance}/{Math.Max(0, seam) + 1})',loop=loop={job.FrameCount + MaskSpareFrames}:size=1");
    }

    /// <summary>Mask frames past the job's count, so the overlay never runs out of mask before the encoder has its frames.</summary>
    private const int MaskSpareFrames = 64;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
