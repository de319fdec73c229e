using System.Diagnostics;
using System.Globalization;
using Reframe.Bench.Interpolation;
using Reframe.Core.Requests;
using Reframe.Media;
using Reframe.Onnx.Interpolation;
using Reframe.Onnx.Runtime;

// Frame interpolation, frames per second, on one input: the ONNX network path (OnnxInterpolatingWriter with an
// installed export) side by side with ffmpeg's minterpolate in the mode the service runs (MCI) and frame blending.
//   dotnet run -c Release --project bench/Reframe.Bench.Interpolation [-- --model rife|film PATH [--pad N]] [--frames N] [--runs N]
// Without --model it runs the repository's test export (tests/Reframe.TestSupport/OnnxModels/interp_blend_concat7.onnx:
// a blend, no network to speak of), which measures what our side costs around any network: tensor conversion with
// padding, the ONNX Runtime call, the copy back. A real RIFE/FILM export adds its own inference time on top.

var frames = Option("--frames", 33);
var runs = Option("--runs", 3);
var (model, modelPath, pad) = ModelOption();
const int Width = 832, Height = 480, Factor = 2;

var work = Directory.CreateTempSubdirectory("reframe-bench-interp-").FullName;
try
{
    Console.WriteLine($"Reframe.Bench.Interpolation: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
    Console.WriteLine($"input: ffmpeg testsrc2 {Width}x{Height}, {frames} frames at 16 fps -> x{Factor} ({(frames - 1) * Factor + 1} frames at 32 fps); best of {runs} runs");
    var raw = Path.Combine(work, "in.rgb");
    Run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=16", "-frames:v", Invariant(frames),
        "-pix_fmt", "rgb24", "-f", "rawvideo", raw]);
    var bytes = File.ReadAllBytes(raw);
    var frameBytes = Width * Height * 3;
    var input = Enumerable.Range(0, frames).Select(i => bytes.AsMemory(i * frameBytes, frameBytes)).ToList();
    var outputFrames = (frames - 1) * Factor + 1;

    Console.WriteLine();
    Console.WriteLine("| path | output frames/s | interpolated frames/s | seconds |");
    Console.WriteLine("|---|---|---|---|");

    using var network = OnnxFrameInterpolator.Open(
        new InterpolatorModelSettings { Model = model, ModelPath = modelPath, PadMultiple = pad }, new OnnxRuntimeSettings());
    var best = Best(runs, () =>
    {
        var sink = new NullWriter(Width, Height);
        var writer = network.Create(sink, Factor, outputFrames, network.ModelPath);
        foreach (var frame in input)
        {
            writer.WriteFrameAsync(frame, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        if (sink.Frames != outputFrames)
        {
            throw new InvalidOperationException($"wrote {sink.Frames} frames, expected {outputFrames}");
        }
    });
    Row($"ONNX {WireNames.Of(model)} path ({Path.GetFileName(modelPath)}, {network.Device}, pad {pad})", outputFrames, frames - 1, best);

    var minterpolate = "minterpolate=fps=32:" + new MediaSettings().MinterpolateOptions;
    Row("ffmpeg minterpolate (MCI, as the service runs it)", outputFrames, frames - 1, Best(runs, () => Filter(raw, minterpolate, frames)));
    Row("ffmpeg framerate (blend)", outputFrames, frames - 1, Best(runs, () => Filter(raw, "framerate=fps=32", frames)));
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

void Filter(string raw, string filter, int count) =>
    Run("ffmpeg", ["-nostdin", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{Width}x{Height}", "-r", "16", "-i", raw,
        "-vf", filter, "-frames:v", Invariant((count - 1) * Factor + 1), "-f", "null", "-"]);

static TimeSpan Best(int runs, Action run)
{
    var best = TimeSpan.MaxValue;
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        run();
        best = clock.Elapsed < best ? clock.Elapsed : best;
    }
    return best;
}

static void Row(string path, int outputFrames, int interpolated, TimeSpan time) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {path} | {outputFrames / time.TotalSeconds:0.0} | {interpolated / time.TotalSeconds:0.0} | {time.TotalSeconds:0.00} |"));

static void Run(string file, IEnumerable<string> arguments)
{
    var psi = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in arguments)
    {
        psi.ArgumentList.Add(a);
    }
    using var process = Process.Start(psi)!;
    var stderr = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} exited {process.ExitCode}: {stderr}");
    }
}

static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

(InterpolatorModel Model, string Path, int Pad) ModelOption()
{
    var i = Array.IndexOf(args, "--model");
    var pad = Option("--pad", 32);
    if (i >= 0 && i + 2 < args.Length)
    {
        return (WireNames.InterpolatorModels[args[i + 1]], args[i + 2], pad);
    }
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        var candidate = System.IO.Path.Combine(d.FullName, "tests", "Reframe.TestSupport", "OnnxModels", "interp_blend_concat7.onnx");
        if (File.Exists(candidate))
        {
            return (InterpolatorModel.Rife, candidate, pad);
        }
    }
    throw new FileNotFoundException("no --model given and the repository's test export was not found");
}
