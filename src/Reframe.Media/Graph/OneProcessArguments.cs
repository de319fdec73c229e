using System.Globalization;
using Reframe.Media.Encoding;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Planning;

namespace Reframe.Media.Graph;

/// <summary>
/// The argument list of a whole reframe in one ffmpeg process (pure, tested as strings): the source decoded and placed
/// exactly as <see cref="FfmpegArguments.DecodeContent"/> places it, but kept in YUV (4:4:4 while compositing, so the
/// paste at an odd offset stays exact), the engine's fill, the paste-back, the interpolation filter and the same H.264
/// output as the streaming encoder. Progress goes to stdout as ffmpeg's <c>key=value</c> blocks.
/// </summary>
public static class OneProcessArguments
{
    public static IReadOnlyList<string> Build(string sourcePath, ReframePlan plan, FillGraph fill, bool pasteKeep, string? interpolationFilter,
        EncoderSettings encoder, string outputPath, int threads)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-stats_period", "0.25" };
        var threadArgs = threads > 0 ? new[] { "-threads", threads.ToString(CultureInfo.InvariantCulture) } : [];
        args.AddRange(threadArgs);
        args.AddRange(["-protocol_whitelist", "file", "-i", FfmpegArguments.InputPath(sourcePath)]);
        args.AddRange(["-filter_complex", Graph(plan, fill, pasteKeep, interpolationFilter), "-map", "[out]", "-an", "-sn", "-dn"]);
        var frames = plan.Frames;
        var rate = interpolationFilter is null ? frames.GenerationRate : frames.OutputRate;
        // Timestamps leave the graph exactly 1/rate apart, so this constant rate neither duplicates nor drops a frame.
        args.AddRange(["-r", rate.ToString(), "-fps_mode", "cfr"]);
        args.AddRange(threadArgs);
        args.AddRange(EncoderArguments.H264Output(frames.OutputFrames, encoder, outputPath));
        return args;
    }

    /// <summary>The filter graph: content chain, the engine's fill, the paste-back, interpolation, 4:2:0.</summary>
    public static string Graph(ReframePlan plan, FillGraph fill, bool pasteKeep, string? interpolationFilter)
    {
        var keep = plan.KeepRect;
        var content = plan.ContentRect;
        var paste = pasteKeep && !keep.IsEmpty;
        var graph = new List<string>();
        graph.Add(paste
            ? $"[0:v]{ContentChain(plan)},split=2[{FillGraphJob.ContentLabel}][pastesource]"
            : $"[0:v]{ContentChain(plan)}[{FillGraphJob.ContentLabel}]");
        graph.Add(fill.Graph);
        var last = FillGraphJob.CanvasLabel;
        if (paste)
        {
            graph.Add(string.Create(CultureInfo.InvariantCulture,
                $"[pastesource]crop={keep.Width}:{keep.Height}:{keep.X - content.X}:{keep.Y - content.Y}[keep]"));
            graph.Add(string.Create(CultureInfo.InvariantCulture, $"[{last}][keep]overlay={keep.X}:{keep.Y}:format=yuv444[pasted]"));
            last = "pasted";
        }
        var tail = interpolationFilter is null ? "format=yuv420p" : $"{interpolationFilter},format=yuv420p";
        graph.Add($"[{last}]{tail}[out]");
        return string.Join(';', graph);
    }

    /// <summary>
    /// Source to content frames: resample, keep every (k+1)-th frame, crop the bars, scale (converting to BT.709 limited,
    /// as the streaming path's RGB round trip does), cut to the canvas, clean timestamps at the generation rate, and the
    /// last frame held for a source shorter than its probe said (the streaming path's <c>HoldLastFrameReader</c>).
    /// </summary>
    public static string ContentChain(ReframePlan plan)
    {
        var frames = plan.Frames;
        var filters = new List<string>();
        if (frames.ResampleSource)
        {
            filters.Add($"fps={frames.SourceRate}");
        }
        if (frames.DownsampleFactor > 0)
        {
            filters.Add(string.Create(CultureInfo.InvariantCulture, $"select=not(mod(n\\,{frames.DownsampleFactor + 1}))"));
        }
        filters.Add(FfmpegArguments.Crop(plan.TrimBox));
        filters.Add(string.Create(CultureInfo.InvariantCulture, $"scale={plan.ScaledWidth}:{plan.ScaledHeight}:flags=bicubic"));
        // A second scale, same size: swscale converts the matrix cheaply there, while resizing and converting in one
        // step takes a path that cost as much as the whole fill (0.2 s for 81 frames of 720p).
        filters.Add("scale=out_color_matrix=bt709:out_range=tv");
        var visible = plan.VisibleInScaled;
        if (visible.Width != plan.ScaledWidth || visible.Height != plan.ScaledHeight)
        {
            filters.Add(FfmpegArguments.Crop(visible));
        }
        filters.Add("format=yuv444p");
        var rate = frames.GenerationRate;
        filters.Add(string.Create(CultureInfo.InvariantCulture, $"setpts=N*{rate.Denominator}/{rate.Numerator}/TB"));
        filters.Add(string.Create(CultureInfo.InvariantCulture, $"tpad=stop_mode=clone:stop={frames.GeneratedFramesUsed}"));
        return string.Join(',', filters);
    }
}
