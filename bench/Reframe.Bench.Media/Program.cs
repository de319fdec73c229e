using System.Diagnostics;
using System.Globalization;
using Reframe.Bench.Media;
using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Engines.Classic;
using Reframe.Media;

// Classic engine end to end (probe, decode, fill, encode) against one ffmpeg process doing the same blur-fill
// with its own filters, same input and x264 settings, alternating runs; then peak memory by clip length.
//   dotnet run -c Release --project bench/Reframe.Bench.Media [-- --runs 3] [--cli NAME=PATH ...] [--skip-lengths]
//   ... -- --sweep results.csv [--runs 1] [--cli NAME=PATH]: the same side-by-side comparison over clip lengths (17, 81,
//   241 frames) and source sizes (640x360, 1280x720), written as CSV for bench/plots/plot.py; the first --cli is the
//   cold `reframe run` (without one, a cold child process of this benchmark stands in for it).
// --cli times `reframe run` (a built or published CLI) as a user calls it, cold, in the same rounds: give two (say
// before=... after=...) to compare builds side by side under the same load.
// Internal: "--child <input> <output> <aspect> <resolution> [--warm] [--no-trim]" runs one reframe in this process
// (measured from outside); --warm first runs the same job once, untimed, as a long-running service would have;
// --no-trim sets trim_borders false (no bar detection: the same work as the ffmpeg graph).

if (args.Length >= 5 && args[0] == "--child")
{
    var options = new GenerationOptions
    {
        VideoUrl = args[1],
        AspectRatio = WireNames.AspectRatios[args[3]],
        Resolution = WireNames.Resolutions[args[4]],
        VideoQuality = VideoQuality.High,
        VideoWriteMode = VideoWriteMode.Balanced,
        TrimBorders = !args.Contains("--no-trim"),
    };
    var runner = ClassicEngineRegistration.CreateRunner(new MediaSettings());
    if (args.Contains("--warm"))
    {
        // A service runs many jobs in one process: JIT and the ffmpeg capability probe are paid once, not per job.
        var warmOutput = args[2] + ".warmup.mp4";
        await runner.RunAsync(new ReframeJob(options with { }, args[1], null, null, warmOutput, Path.GetTempPath(), 1), new Progress<TaskProgress>(), CancellationToken.None);
        File.Delete(warmOutput);
    }
    var clock = Stopwatch.StartNew();
    var stages = new StageTimes(clock);
    var outcome = await runner.RunAsync(new ReframeJob(options, args[1], null, null, args[2], Path.GetTempPath(), 1), stages, CancellationToken.None);
    Console.Error.WriteLine(stages.Summary(clock.Elapsed));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:0.000} {outcome.Width}x{outcome.Height} {outcome.NumFrames}"));
    return 0;
}

var runs = 3;
string? sweepPath = null;
var clis = new List<(string Name, string Path)>();
for (var i = 0; i + 1 < args.Length; i++)
{
    if (args[i] == "--runs")
    {
        runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--cli")
    {
        var pair = args[++i].Split('=', 2);
        clis.Add(pair.Length == 2 ? (pair[0], Path.GetFullPath(pair[1])) : ("reframe", Path.GetFullPath(pair[0])));
    }
    else if (args[i] == "--sweep")
    {
        sweepPath = Path.GetFullPath(args[++i]);
    }
}
var work = Directory.CreateTempSubdirectory("reframe-bench-").FullName;
try
{
    Console.WriteLine($"Reframe.Bench.Media: {Environment.ProcessorCount} cores, {RuntimeInfoLine()}");
    if (sweepPath is not null)
    {
        await SweepAsync(work, sweepPath, runs, clis.Count > 0 ? clis[0] : null);
        return 0;
    }
    var clip81 = MakeClip(work, "in81.mp4", 81);
    Console.WriteLine();
    Console.WriteLine("== Classic engine vs one ffmpeg process, 81 frames 1280x720 -> 480x832 (x264 medium, CRF 18) ==");
    var ours = new List<double>();
    var ffmpeg = new List<double>();
    var oursCold = new List<double>();
    var cliWall = clis.ToDictionary(c => c.Name, _ => new List<double>());
    var cliPeak = clis.ToDictionary(c => c.Name, _ => 0L);
    var cliCpu = clis.ToDictionary(c => c.Name, _ => new List<double>());
    var oursNoTrim = new List<double>();
    var oursCpu = new List<double>();
    var ffmpegCpu = new List<double>();
    long oursPeak = 0, oursTreePeak = 0, ffmpegPeak = 0;
    for (var i = 0; i < runs; i++)
    {
        foreach (var (name, path) in clis)
        {
            var cliCpuBefore = ChildrenCpu.Seconds();
            var (cliSeconds, cliTree) = await CliRun.RunAsync(path, clip81, Path.Combine(work, $"cli-{name}.mp4"));
            cliCpu[name].Add(ChildrenCpu.Seconds() - cliCpuBefore);
            cliWall[name].Add(cliSeconds);
            cliPeak[name] = Math.Max(cliPeak[name], cliTree);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {i + 1}: reframe run ({name}) {cliSeconds:0.000} s cold, launch to exit (CPU {cliCpu[name][^1]:0.00} s)"));
        }
        var cpuBefore = ChildrenCpu.Seconds();
        var (_, coldSeconds, _, _) = await RunChildAsync(clip81, Path.Combine(work, "ours.mp4"), "9:16", "480p", warm: false);
        oursCpu.Add(ChildrenCpu.Seconds() - cpuBefore);
        var (seconds, _, root, tree) = await RunChildAsync(clip81, Path.Combine(work, "ours.mp4"), "9:16", "480p", warm: true);
        ours.Add(seconds);
        oursCold.Add(coldSeconds);
        var (noTrimSeconds, _, _, _) = await RunChildAsync(clip81, Path.Combine(work, "ours-notrim.mp4"), "9:16", "480p", warm: true, trim: false);
        oursNoTrim.Add(noTrimSeconds);
        oursPeak = Math.Max(oursPeak, root);
        oursTreePeak = Math.Max(oursTreePeak, tree);
        cpuBefore = ChildrenCpu.Seconds();
        var (ffSeconds, ffPeak) = await RunFfmpegBlurFillAsync(clip81, Path.Combine(work, "ffmpeg.mp4"));
        ffmpegCpu.Add(ChildrenCpu.Seconds() - cpuBefore);
        ffmpeg.Add(ffSeconds);
        ffmpegPeak = Math.Max(ffmpegPeak, ffPeak);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  run {i + 1}: ours {seconds:0.000} s warm / {noTrimSeconds:0.000} s warm without bar detection / {coldSeconds:0.000} s cold, launch to exit (CPU {oursCpu[^1]:0.00} s with .NET start-up), ffmpeg {ffSeconds:0.000} s (CPU {ffmpegCpu[^1]:0.00} s)"));
    }
    var oursMedian = Median(ours);
    var ffmpegMedian = Median(ffmpeg);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  median wall: ours {oursMedian:0.000} s (warm runner), ffmpeg {ffmpegMedian:0.000} s, ratio ours/ffmpeg = {oursMedian / ffmpegMedian:0.00} (target <= 1.0)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  median wall without bar detection (trim_borders false: the same work as the ffmpeg graph): ours {Median(oursNoTrim):0.000} s, ratio {Median(oursNoTrim) / ffmpegMedian:0.00}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  median wall, cold process (launch to exit: .NET start-up and JIT included): ours {Median(oursCold):0.000} s, ratio {Median(oursCold) / ffmpegMedian:0.00}"));
    foreach (var (name, _) in clis)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  median wall, reframe run ({name}), cold: {Median(cliWall[name]):0.000} s, ratio {Median(cliWall[name]) / ffmpegMedian:0.00} (target <= 1.0); CPU {Median(cliCpu[name]):0.00} s; peak RSS of its process tree {cliPeak[name] / 1024.0:0} MiB"));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  median CPU: ours {Median(oursCpu):0.00} s (cold process), ffmpeg {Median(ffmpegCpu):0.00} s, ratio {Median(oursCpu) / Median(ffmpegCpu):0.00}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  peak RSS: ours {oursPeak / 1024.0:0} MiB (.NET process) / {oursTreePeak / 1024.0:0} MiB (process tree: .NET + ffmpeg decoder + encoder); ffmpeg {ffmpegPeak / 1024.0:0} MiB"));

    if (args.Contains("--skip-lengths"))
    {
        return 0;
    }
    Console.WriteLine();
    Console.WriteLine("== Peak memory by length, 1280x720 -> 720x1280 (720p 9:16) ==");
    foreach (var frames in new[] { 41, 81, 241 })
    {
        var clip = MakeClip(work, $"len{frames}.mp4", frames);
        var (seconds, _, root, tree) = await RunChildAsync(clip, Path.Combine(work, $"len{frames}-out.mp4"), "9:16", "720p");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {frames,3} frames: {seconds:0.000} s, peak RSS {root / 1024.0:0} MiB (.NET) / {tree / 1024.0:0} MiB (tree)"));
    }
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

// One row per (source size, length): medians over the rounds, each round alternating the ffmpeg command, the warm
// in-process runner and the cold run, so that load swings on a shared machine hit all three alike.
static async Task SweepAsync(string work, string csvPath, int runs, (string Name, string Path)? cli)
{
    var rows = new List<string> { "source,frames,runs,ffmpeg_s,warm_s,cold_s,cold_kind,warm_ratio,cold_ratio,load_before,load_after" };
    var coldKind = cli is { } c ? $"reframe run ({c.Name})" : "cold child process";
    foreach (var size in new[] { "640x360", "1280x720" })
    {
        foreach (var frames in new[] { 17, 81, 241 })
        {
            var loadBefore = LoadAverage();
            var clip = MakeClip(work, $"sweep-{size}-{frames}.mp4", frames, size);
            var ffmpeg = new List<double>();
            var warm = new List<double>();
            var cold = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                ffmpeg.Add((await RunFfmpegBlurFillAsync(clip, Path.Combine(work, "sweep-ffmpeg.mp4"))).Seconds);
                warm.Add((await RunChildAsync(clip, Path.Combine(work, "sweep-warm.mp4"), "9:16", "480p", warm: true)).Seconds);
                cold.Add(cli is { } tool
                    ? (await CliRun.RunAsync(tool.Path, clip, Path.Combine(work, "sweep-cli.mp4"))).Seconds
                    : (await RunChildAsync(clip, Path.Combine(work, "sweep-cold.mp4"), "9:16", "480p")).WallSeconds);
            }
            var (f, w, k) = (MiddleValue(ffmpeg), MiddleValue(warm), MiddleValue(cold));
            var row = string.Create(CultureInfo.InvariantCulture,
                $"{size},{frames},{runs},{f:0.000},{w:0.000},{k:0.000},{coldKind},{w / f:0.000},{k / f:0.000},{loadBefore},{LoadAverage()}");
            rows.Add(row);
            Console.WriteLine("  " + row);
        }
    }
    Directory.CreateDirectory(Path.GetDirectoryName(csvPath)!);
    await File.WriteAllLinesAsync(csvPath, rows);
    Console.WriteLine($"wrote {csvPath}");
}

static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

// A true median (the mean of the middle two for an even count), unlike Median below, which takes the upper one.
static double MiddleValue(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string MakeClip(string work, string name, int frames, string size = "1280x720")
{
    var path = Path.Combine(work, name);
    Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=16", "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", path]);
    return path;
}

static async Task<(double Seconds, double WallSeconds, long RootKb, long TreeKb)> RunChildAsync(string input, string output, string aspect, string resolution, bool warm = false, bool trim = true)
{
    var self = Environment.ProcessPath!;
    var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        info.ArgumentList.Add(typeof(ProcessTreeMemory).Assembly.Location);
    }
    foreach (var a in new[] { "--child", input, output, aspect, resolution })
    {
        info.ArgumentList.Add(a);
    }
    if (warm)
    {
        info.ArgumentList.Add("--warm");
    }
    if (!trim)
    {
        info.ArgumentList.Add("--no-trim");
    }
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var memory = new ProcessTreeMemory();
    var watch = memory.WatchAsync(process.Id, () => process.HasExited);
    var line = (await process.StandardOutput.ReadToEndAsync()).Trim();
    await process.WaitForExitAsync();
    var wall = clock.Elapsed.TotalSeconds;
    await watch;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"child run failed: {line}");
    }
    var parts = line.Split(' ');
    return (double.Parse(parts[0], CultureInfo.InvariantCulture), wall, memory.RootPeakKb, memory.TreePeakKb);
}

static async Task<(double Seconds, long PeakKb)> RunFfmpegBlurFillAsync(string input, string output)
{
    // The same look as the classic engine: content scaled to cover the canvas, box-blurred (3 passes, ~the same
    // radius in canvas pixels), dimmed to 0.85, the sharp content fitted on top. Same encoder settings.
    const string Graph =
        "[0:v]split=2[bg][fg];" +
        "[bg]scale=480:832:force_original_aspect_ratio=increase,crop=480:832,boxblur=luma_radius=28:luma_power=3:chroma_radius=14:chroma_power=3,lutyuv=y=val*0.85[b];" +
        "[fg]scale=480:270:flags=bicubic[f];" +
        "[b][f]overlay=0:281,format=yuv420p[out]";
    var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false };
    foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-y", "-i", input, "-filter_complex", Graph, "-map", "[out]",
        "-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-an", output })
    {
        info.ArgumentList.Add(a);
    }
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var memory = new ProcessTreeMemory();
    var watch = memory.WatchAsync(process.Id, () => process.HasExited);
    await process.WaitForExitAsync();
    var seconds = clock.Elapsed.TotalSeconds;
    await watch;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException("ffmpeg blur-fill failed");
    }
    return (seconds, memory.RootPeakKb);
}

static void Run(string tool, string[] arguments)
{
    var info = new ProcessStartInfo(tool) { UseShellExecute = false };
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }
    using var process = Process.Start(info)!;
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{tool} failed");
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static string RuntimeInfoLine() => $".NET {Environment.Version}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}";

/// <summary>When each progress stage started (stderr of the child run): shows where the time goes.</summary>
internal sealed class StageTimes(Stopwatch clock) : IProgress<TaskProgress>
{
    private readonly List<(string Stage, double At)> _starts = [];

    public void Report(TaskProgress value)
    {
        lock (_starts)
        {
            if (_starts.Count == 0 || _starts[^1].Stage != value.Stage)
            {
                _starts.Add((value.Stage, clock.Elapsed.TotalSeconds));
            }
        }
    }

    public string Summary(TimeSpan end)
    {
        var parts = new List<string>();
        for (var i = 0; i < _starts.Count; i++)
        {
            var next = i + 1 < _starts.Count ? _starts[i + 1].At : end.TotalSeconds;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{_starts[i].Stage} {next - _starts[i].At:0.000}s"));
        }
        return "    stages: " + string.Join(", ", parts);
    }
}
