using System.Globalization;
using System.Text.Json;

namespace Reframe.Media.Tests.Support;

/// <summary>An output file as a viewer sees it: counted frames, rate, size, and its frames as RGB24 (small clips only).</summary>
internal sealed record DecodedVideo(int Width, int Height, string FrameRate, int FrameCount, string PixelFormat, string CodecName, IReadOnlyList<byte[]> Frames)
{
    public static DecodedVideo Load(string path, bool decodeFrames = true)
    {
        var json = Ffmpeg.Probe("-count_frames", "-select_streams", "v:0", "-show_streams", "-of", "json", path);
        using var doc = JsonDocument.Parse(json);
        var s = doc.RootElement.GetProperty("streams")[0];
        var width = s.GetProperty("width").GetInt32();
        var height = s.GetProperty("height").GetInt32();
        var frames = new List<byte[]>();
        if (decodeFrames)
        {
            var raw = Ffmpeg.RunTool("ffmpeg", ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
            var size = width * height * 3;
            for (var o = 0; o + size <= raw.Length; o += size)
            {
                frames.Add(raw.AsSpan(o, size).ToArray());
            }
        }
        return new DecodedVideo(width, height, s.GetProperty("r_frame_rate").GetString()!,
            int.Parse(s.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture),
            s.GetProperty("pix_fmt").GetString()!, s.GetProperty("codec_name").GetString()!, frames);
    }

    /// <summary>Mean absolute difference (0..255) of two frames over a rectangle.</summary>
    public static double MeanAbsDiff(byte[] a, byte[] b, int width, Core.Engines.PixelRect rect)
    {
        long sum = 0;
        for (var y = rect.Y; y < rect.Bottom; y++)
        {
            for (var x = rect.X * 3; x < rect.Right * 3; x++)
            {
                var i = y * width * 3 + x;
                sum += Math.Abs(a[i] - b[i]);
            }
        }
        return (double)sum / Math.Max(1, rect.Width * rect.Height * 3);
    }

    /// <summary>Fraction of pixels in a rectangle that are near black (every channel under 24).</summary>
    public static double BlackFraction(byte[] frame, int width, Core.Engines.PixelRect rect)
    {
        long black = 0;
        for (var y = rect.Y; y < rect.Bottom; y++)
        {
            for (var x = rect.X; x < rect.Right; x++)
            {
                var i = (y * width + x) * 3;
                if (frame[i] < 24 && frame[i + 1] < 24 && frame[i + 2] < 24)
                {
                    black++;
                }
            }
        }
        return (double)black / Math.Max(1, rect.Width * rect.Height);
    }
}
