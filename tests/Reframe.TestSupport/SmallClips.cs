using System.Globalization;

namespace Reframe.TestSupport;

/// <summary>Small real clips made with ffmpeg's test sources (no binary fixtures in the repository), cached per machine.</summary>
public static class SmallClips
{
    private static readonly Lazy<string> SmallClip = new(() => Make("small-4x3.mp4", "testsrc2=size=192x144:rate=8", 1.0));

    /// <summary>A 1 s, 8 fps, 192x144 (4:3) H.264 clip: reframed to 16:9 it gains bands left and right.</summary>
    public static string Small4x3 => SmallClip.Value;

    public static string Make(string name, string lavfiSource, double seconds)
    {
        var directory = Path.Combine(Path.GetTempPath(), "reframe-client-tests-videos");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        if (File.Exists(path))
        {
            return path;
        }
        // Written under a per-process name and moved, so test processes running at once never read a half-written clip.
        var temporary = path + $".{Environment.ProcessId}.mp4";
        FfmpegTools.Run(["-f", "lavfi", "-i", lavfiSource, "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", temporary]);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Width, height and frame count of a video file, read by ffprobe.</summary>
    public static (int Width, int Height, int Frames) Probe(string path)
    {
        var output = FfmpegTools.Probe(["-select_streams", "v:0", "-count_frames", "-show_entries",
            "stream=width,height,nb_read_frames", "-of", "csv=p=0", path]);
        var parts = output.Trim().Split(',');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
