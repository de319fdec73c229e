using System.Globalization;
using Reframe.Core.Engines;
using Reframe.Media.Planning;

namespace Reframe.Media.Ffmpeg;

/// <summary>
/// Pure builders of ffmpeg argument lists for the decode side (tested as strings). Every input is opened
/// with only the <c>file</c> protocol allowed, so a hostile upload cannot make ffmpeg fetch URLs.
/// </summary>
public static class FfmpegArguments
{
    /// <summary>An absolute <c>file:</c> URL, so a name starting with '-' or holding ':' is never read as an option or protocol.</summary>
    public static string InputPath(string path) => "file:" + Path.GetFullPath(path);

    /// <summary>
    /// Decodes the source's visible content as rawvideo rgb24 on stdout, exactly as the plan places it:
    /// resample the rate if needed, keep every (k+1)-th frame, crop the bars, scale, cut to the canvas.
    /// Frames are <c>plan.ContentRect</c> sized; at most <c>plan.Frames.GeneratedFrames</c> of them.
    /// </summary>
    public static IReadOnlyList<string> DecodeContent(string sourcePath, ReframePlan plan, int threads)
    {
        var args = new List<string>(Preamble(threads));
        args.AddRange(["-i", InputPath(sourcePath), "-map", "0:v:0", "-an", "-sn", "-dn"]);
        args.AddRange(["-vf", ContentFilter(plan)]);
        // Frames are consumed in order; no timestamp-based duplication or dropping after our own selection.
        args.AddRange(["-fps_mode", "passthrough"]);
        args.AddRange(["-frames:v", plan.Frames.GeneratedFrames.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    /// <summary>The filter chain of <see cref="DecodeContent"/>.</summary>
    public static string ContentFilter(ReframePlan plan)
    {
        var filters = new List<string>();
        var frames = plan.Frames;
        if (frames.ResampleSource)
        {
            filters.Add($"fps={frames.SourceRate}");
        }
        if (frames.DownsampleFactor > 0)
        {
            filters.Add(string.Create(CultureInfo.InvariantCulture, $"select=not(mod(n\\,{frames.DownsampleFactor + 1}))"));
        }
        // Always cropped, even to the full frame: the crop also pins the size the scale starts from.
        filters.Add(Crop(plan.TrimBox));
        filters.Add(string.Create(CultureInfo.InvariantCulture, $"scale={plan.ScaledWidth}:{plan.ScaledHeight}:flags=bicubic"));
        var visible = plan.VisibleInScaled;
        if (visible.Width != plan.ScaledWidth || visible.Height != plan.ScaledHeight)
        {
            filters.Add(Crop(visible));
        }
        filters.Add("format=rgb24");
        return string.Join(',', filters);
    }

    /// <summary>
    /// One displayed frame at each of <paramref name="seconds"/>, rgb24 on stdout, in one process: full size for
    /// border detection, or through <paramref name="eachFrame"/> (a filter chain such as a scale) for a sampler.
    /// Each time is its own input with a fast seek, so only a few GOPs are decoded, not the clip; a time past the
    /// end contributes no frame.
    /// </summary>
    public static IReadOnlyList<string> GrabFrames(string sourcePath, IReadOnlyList<double> seconds, int threads, string? eachFrame = null)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var filter = eachFrame is null ? "" : "," + eachFrame;
        var args = new List<string>(Preamble(threads));
        foreach (var t in seconds)
        {
            args.AddRange(["-ss", t.ToString("0.###", CultureInfo.InvariantCulture), "-i", InputPath(sourcePath)]);
        }
        var graph = new System.Text.StringBuilder();
        for (var i = 0; i < seconds.Count; i++)
        {
            graph.Append(CultureInfo.InvariantCulture, $"[{i}:v:0]trim=end_frame=1,setpts=PTS-STARTPTS{filter}[s{i}];");
        }
        for (var i = 0; i < seconds.Count; i++)
        {
            graph.Append(CultureInfo.InvariantCulture, $"[s{i}]");
        }
        graph.Append(CultureInfo.InvariantCulture, $"concat=n={seconds.Count}:v=1:a=0,format=rgb24[out]");
        args.AddRange(["-filter_complex", graph.ToString(), "-map", "[out]", "-an", "-sn", "-dn"]);
        args.AddRange(["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    /// <summary>
    /// Up to <paramref name="count"/> frames spread over the first <paramref name="spanSeconds"/> (one every span/count
    /// seconds, from the first), full size, rgb24 on stdout, in one sequential pass over the keyframes only (border
    /// detection on short clips). Bars are burnt into every frame, keyframes included, and decoding only those is what
    /// keeps this pass from being a second decode of the clip: a 5 s clip costs one to five frames instead of all of
    /// them. A span with fewer keyframes than <paramref name="count"/> gives fewer samples (at least the first frame).
    /// </summary>
    public static IReadOnlyList<string> GrabFramesSequential(string sourcePath, double spanSeconds, int count, int threads)
    {
        var args = new List<string>(Preamble(threads));
        var step = spanSeconds / Math.Max(1, count);
        args.AddRange(["-skip_frame", "nokey", "-skip_loop_filter", "all"]);
        args.AddRange(["-t", (spanSeconds + 0.001).ToString("0.###", CultureInfo.InvariantCulture)]);
        args.AddRange(["-i", InputPath(sourcePath), "-map", "0:v:0", "-an", "-sn", "-dn"]);
        args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture, $"select=isnan(prev_selected_t)+gte(t-prev_selected_t\\,{step:0.###}),format=rgb24"),
            "-fps_mode", "passthrough"]);
        args.AddRange(["-frames:v", count.ToString(CultureInfo.InvariantCulture), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    /// <summary>An image scaled to cover the canvas and centre-cropped to it, rgb24 on stdout (first/last frame anchors).</summary>
    public static IReadOnlyList<string> FitImage(string imagePath, int width, int height, int threads)
    {
        var args = new List<string>(Preamble(threads));
        args.AddRange(["-i", InputPath(imagePath), "-map", "0:v:0"]);
        args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture,
            $"scale={width}:{height}:force_original_aspect_ratio=increase:flags=bicubic,crop={width}:{height},format=rgb24")]);
        args.AddRange(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    internal static string Crop(PixelRect r) => string.Create(CultureInfo.InvariantCulture, $"crop={r.Width}:{r.Height}:{r.X}:{r.Y}");

    internal static IEnumerable<string> Preamble(int threads)
    {
        yield return "-hide_banner";
        yield return "-nostdin";
        yield return "-loglevel";
        yield return "error";
        if (threads > 0)
        {
            yield return "-threads";
            yield return threads.ToString(CultureInfo.InvariantCulture);
        }
        yield return "-protocol_whitelist";
        yield return "file";
    }
}
