using System.Globalization;

namespace Reframe.TestSupport;

/// <summary>H.264 clips of one flat colour (ffmpeg's lavfi <c>color</c>): inputs whose every frame a test classifier judges the same way.</summary>
public static class SolidClips
{
    /// <summary>Writes (or reuses) a clip of <paramref name="rgb"/> (e.g. <c>0xC8C8C8</c>) in <paramref name="directory"/>.</summary>
    public static string Create(string directory, int rgb, int width, int height, int frames, int fps = 16)
    {
        Directory.CreateDirectory(directory);
        var colour = rgb.ToString("X6", CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"solid_{colour}_{width}x{height}_{frames}f_{fps}fps.mp4"));
        if (File.Exists(path))
        {
            return path;
        }
        var partial = path + ".part.mp4";
        FfmpegTools.Run(["-f", "lavfi",
            "-i", string.Create(CultureInfo.InvariantCulture, $"color=c=0x{colour}:s={width}x{height}:r={fps}"),
            "-frames:v", frames.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-fflags", "+bitexact", "-map_metadata", "-1", partial]);
        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>A PNG image of one colour.</summary>
    public static string Image(string directory, int rgb, int width, int height)
    {
        Directory.CreateDirectory(directory);
        var colour = rgb.ToString("X6", CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"solid_{colour}_{width}x{height}.png"));
        if (!File.Exists(path))
        {
            FfmpegTools.Run(["-f", "lavfi",
                "-i", string.Create(CultureInfo.InvariantCulture, $"color=c=0x{colour}:s={width}x{height}"), "-frames:v", "1", path]);
        }
        return path;
    }
}
