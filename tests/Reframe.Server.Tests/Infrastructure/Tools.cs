using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>Runs ffmpeg/ffprobe for the tests (argument lists, never a command string).</summary>
public static class Tools
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited {p.ExitCode}: {await stderr}");
        }
        return await stdout;
    }

    private static readonly SemaphoreSlim ClipLock = new(1, 1);
    private static readonly Dictionary<string, string> Clips = new();

    /// <summary>An H.264 test clip made by ffmpeg's lavfi testsrc, cached for the test run.</summary>
    public static async Task<string> ClipAsync(int width, int height, int frames, int fps)
    {
        var name = $"testsrc-{width}x{height}-{frames}f-{fps}fps.mp4";
        await ClipLock.WaitAsync();
        try
        {
            if (Clips.TryGetValue(name, out var cached))
            {
                return cached;
            }
            var dir = Path.Combine(Path.GetTempPath(), "reframe-test-clips");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + "-" + name);
            await RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi",
                "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc=size={width}x{height}:rate={fps}"),
                "-frames:v", frames.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", path]);
            Clips[name] = path;
            return path;
        }
        finally
        {
            ClipLock.Release();
        }
    }

    public static async Task<string> DataUriAsync(string path) =>
        "data:video/mp4;base64," + Convert.ToBase64String(await File.ReadAllBytesAsync(path));

    /// <summary>What ffprobe reads from a file: codec, size and the frames it counts by decoding.</summary>
    public static async Task<ProbedVideo> ProbeAsync(string path)
    {
        var json = await RunAsync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,nb_read_frames,avg_frame_rate:format=format_name", "-of", "json", path]);
        using var doc = JsonDocument.Parse(json);
        var s = doc.RootElement.GetProperty("streams")[0];
        var rate = s.GetProperty("avg_frame_rate").GetString()!.Split('/');
        return new ProbedVideo(
            s.GetProperty("codec_name").GetString()!,
            s.GetProperty("width").GetInt32(),
            s.GetProperty("height").GetInt32(),
            int.Parse(s.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture),
            double.Parse(rate[0], CultureInfo.InvariantCulture) / double.Parse(rate[1], CultureInfo.InvariantCulture),
            doc.RootElement.GetProperty("format").GetProperty("format_name").GetString()!);
    }
}

public sealed record ProbedVideo(string Codec, int Width, int Height, int Frames, double Fps, string Format);
