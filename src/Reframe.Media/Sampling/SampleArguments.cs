using System.Globalization;
using Reframe.Media.Ffmpeg;

namespace Reframe.Media.Sampling;

/// <summary>ffmpeg argument lists for frames sampled at a fixed size (what a classifier reads), rgb24 on stdout.</summary>
public static class SampleArguments
{
    /// <summary>
    /// One frame at each of <paramref name="seconds"/>, each its own input with a fast seek (a long clip is not
    /// decoded whole), stretched to <paramref name="width"/> x <paramref name="height"/>. Stretched rather than
    /// cropped: a crop would hide the frame's edges, which is exactly where a reframe puts what it generated.
    /// </summary>
    public static IReadOnlyList<string> VideoFrames(string path, IReadOnlyList<double> seconds, int width, int height, int threads) =>
        FfmpegArguments.GrabFrames(path, seconds, threads, eachFrame: Scale(width, height));

    /// <summary>The first frame of an image file, stretched to the size.</summary>
    public static IReadOnlyList<string> Image(string path, int width, int height, int threads)
    {
        var args = new List<string>(FfmpegArguments.Preamble(threads));
        args.AddRange(["-i", FfmpegArguments.InputPath(path), "-map", "0:v:0", "-vf", Scale(width, height)]);
        args.AddRange(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    // Area averaging when shrinking: a detail smaller than a model pixel still counts towards it instead of falling
    // between samples.
    private static string Scale(int width, int height) =>
        string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags=area,setsar=1,format=rgb24");
}
