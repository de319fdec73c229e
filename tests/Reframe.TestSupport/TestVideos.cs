using System.Globalization;

namespace Reframe.TestSupport;

/// <summary>Burnt-in bars of a generated test video.</summary>
public enum Bars
{
    None,
    /// <summary>Black bars above and below the picture.</summary>
    Letterbox,
    /// <summary>Black bars left and right of the picture.</summary>
    Pillarbox,
}

/// <summary>What <see cref="TestVideos.Create"/> makes: an H.264 mp4 of ffmpeg's moving test pattern.</summary>
/// <param name="Width">Frame width including bars (even).</param>
/// <param name="Height">Frame height including bars (even).</param>
/// <param name="Frames">Number of frames.</param>
/// <param name="Fps">Frames per second.</param>
/// <param name="Bars">Bars burnt into the frame.</param>
/// <param name="BarPixels">Thickness of each bar.</param>
/// <param name="WithAudio">Add a sine-tone AAC track.</param>
public sealed record TestVideoSpec(
    int Width = 320, int Height = 240, int Frames = 17, int Fps = 16,
    Bars Bars = Bars.None, int BarPixels = 0, bool WithAudio = false)
{
    /// <summary>A file name that identifies the spec, so callers can cache one file per spec.</summary>
    public string FileName =>
        string.Create(CultureInfo.InvariantCulture,
            $"testsrc_{Width}x{Height}_{Frames}f_{Fps}fps_{Bars}{BarPixels}{(WithAudio ? "_audio" : "")}.mp4");
}

/// <summary>Generates real, playable test videos with ffmpeg (deterministic: bit-exact flags, no metadata).</summary>
public static class TestVideos
{
    /// <summary>Writes the video described by <paramref name="spec"/> into <paramref name="directory"/> (reusing an existing one).</summary>
    public static string Create(string directory, TestVideoSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, spec.FileName);
        if (File.Exists(path))
        {
            return path;
        }

        var (contentWidth, contentHeight) = spec.Bars switch
        {
            Bars.Letterbox => (spec.Width, spec.Height - 2 * spec.BarPixels),
            Bars.Pillarbox => (spec.Width - 2 * spec.BarPixels, spec.Height),
            _ => (spec.Width, spec.Height),
        };
        var source = Invariant($"testsrc2=size={contentWidth}x{contentHeight}:rate={spec.Fps}");
        var filter = Invariant($"pad={spec.Width}:{spec.Height}:(ow-iw)/2:(oh-ih)/2:black,format=yuv420p");

        List<string> arguments = ["-f", "lavfi", "-i", source];
        if (spec.WithAudio)
        {
            arguments.AddRange(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]);
        }
        arguments.AddRange(["-vf", filter, "-frames:v", Invariant($"{spec.Frames}"),
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "23", "-pix_fmt", "yuv420p"]);
        if (spec.WithAudio)
        {
            arguments.AddRange(["-c:a", "aac", "-shortest"]);
        }
        arguments.AddRange(BitExact);
        var partial = path + ".part.mp4";
        arguments.Add(partial);
        FfmpegTools.Run(arguments);
        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>A <c>data:</c> URI of a file's bytes (base64).</summary>
    public static string ToDataUri(string path, string contentType = "video/mp4") =>
        $"data:{contentType};base64,{Convert.ToBase64String(File.ReadAllBytes(path))}";

    /// <summary>Flags that make ffmpeg's output the same bytes on every run of the same ffmpeg build.</summary>
    internal static readonly string[] BitExact =
        ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
