using System.Globalization;
using Reframe.Media.Ffmpeg;

namespace Reframe.Media.Encoding;

/// <summary>
/// The encoder's argument list: rawvideo rgb24 on stdin, H.264 yuv420p (BT.709, limited range) in an mp4
/// with the index at the front (<c>+faststart</c>) so browsers start playing before the download ends.
/// Exact output: <c>-frames:v</c> pins the count, the input/interpolation rate pins the fps.
/// </summary>
public static class EncoderArguments
{
    /// <param name="width">Frame width (even: yuv420p halves the chroma planes).</param>
    /// <param name="height">Frame height (even).</param>
    /// <param name="inputRate">The rate frames arrive at.</param>
    /// <param name="interpolationFilter">A filter that changes the rate (minterpolate), or null.</param>
    /// <param name="outputFrames">Exactly this many frames are written.</param>
    /// <param name="encoder">CRF and preset.</param>
    /// <param name="outputPath">The mp4 to write.</param>
    /// <param name="threads">ffmpeg threads (0: ffmpeg decides).</param>
    public static IReadOnlyList<string> Encode(int width, int height, Rational inputRate, string? interpolationFilter, int outputFrames,
        EncoderSettings encoder, string outputPath, int threads)
    {
        if (width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"yuv420p needs even sizes; got {width}x{height}");
        }
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-nostats" };
        if (threads > 0)
        {
            args.AddRange(["-threads", threads.ToString(CultureInfo.InvariantCulture)]);
        }
        args.AddRange([
            "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-video_size", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"),
            "-framerate", inputRate.ToString(),
            "-i", "pipe:0",
        ]);
        var filters = new List<string>();
        if (interpolationFilter is not null)
        {
            filters.Add(interpolationFilter);
        }
        filters.Add("scale=out_color_matrix=bt709:out_range=tv:flags=bicubic");
        filters.Add("format=yuv420p");
        args.AddRange(["-vf", string.Join(',', filters)]);
        args.AddRange(H264Output(outputFrames, encoder, outputPath));
        return args;
    }

    /// <summary>
    /// The output half every encode shares (this streaming encoder and the one-process graph): exactly
    /// <paramref name="outputFrames"/> frames of H.264 yuv420p, tagged BT.709 limited range, in an mp4 with the index first.
    /// </summary>
    public static IReadOnlyList<string> H264Output(int outputFrames, EncoderSettings encoder, string outputPath) =>
        [
            "-frames:v", outputFrames.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264",
            "-preset", encoder.Preset,
            "-crf", encoder.Crf.ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv420p",
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
            "-movflags", "+faststart",
            "-an",
            "-f", "mp4",
            "-y", FfmpegArguments.InputPath(outputPath),
        ];
}
