using System.Globalization;

namespace Reframe.TestSupport;

/// <summary>The real media the hostile corpus starts from, made with ffmpeg (bit-exact, so deterministic).</summary>
internal static class HostileSources
{
    /// <summary>A 160x120, 24-frame H.264 mp4. <paramref name="faststart"/> puts the index (moov) before the data.</summary>
    public static string Video(string directory, bool faststart)
    {
        var path = Path.Combine(directory, faststart ? "source-faststart.mp4" : "source-moov-at-end.mp4");
        List<string> arguments = ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=12", "-frames:v", "24",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
        if (faststart)
        {
            arguments.AddRange(["-movflags", "+faststart"]);
        }
        return Make(path, arguments);
    }

    /// <summary>One still image of the test pattern in a given format (png, jpg, bmp, tiff, webp, gif).</summary>
    public static string Image(string directory, string extension)
    {
        var path = Path.Combine(directory, $"image.{extension}");
        return Make(path, ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=1", "-frames:v", "1"]);
    }

    /// <summary>An animated GIF (a real, if odd, moving picture).</summary>
    public static string AnimatedGif(string directory) =>
        Make(Path.Combine(directory, "animated.gif"), ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=8", "-frames:v", "8"]);

    /// <summary>Audio only, in a container and codec of choice (no video stream at all).</summary>
    public static string AudioOnly(string directory, string fileName, string codec) =>
        Make(Path.Combine(directory, fileName),
            ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1", "-c:a", codec]);

    /// <summary>A short video at an odd frame rate (e.g. "1000" or "1/1000").</summary>
    public static string AtFrameRate(string directory, string name, string rate, int frames) =>
        Make(Path.Combine(directory, $"{name}.mp4"),
            ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
                "-r", rate, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]);

    /// <summary>Motion JPEG in mp4: frame sizes sit in plain 16-bit fields, easy to inflate.</summary>
    public static string MotionJpeg(string directory) =>
        Make(Path.Combine(directory, "mjpeg.mp4"),
            ["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=8", "-frames:v", "4", "-c:v", "mjpeg", "-movflags", "+faststart"]);

    /// <summary>
    /// A decompression bomb in spirit: thousands of identical black frames that compress to almost nothing and
    /// decode to over a gigabyte of raw pixels.
    /// </summary>
    public static string FrameBomb(string directory) =>
        Make(Path.Combine(directory, "frame-bomb.mp4"),
            ["-f", "lavfi", "-i", "color=black:size=640x360:rate=60", "-frames:v", "3000",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "51", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]);

    private static string Make(string path, List<string> arguments)
    {
        if (!File.Exists(path))
        {
            var partial = Path.Combine(Path.GetDirectoryName(path)!, "partial-" + Path.GetFileName(path));
            FfmpegTools.Run([.. arguments, .. TestVideos.BitExact, partial]);
            File.Move(partial, path, overwrite: true);
        }
        return path;
    }
}
