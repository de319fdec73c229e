using System.Diagnostics;
using System.Globalization;
using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Wan.Engine;
using Reframe.Wan.Runtime;
using Reframe.TestSupport;

namespace Reframe.Bench.Wan;

/// <summary>
/// <c>acceleration</c> side by side on the CPU, one engine, the same clip and seed: <c>none</c>, <c>low</c> and
/// <c>regular</c> at the reference's thresholds, and <c>regular</c> at the parity kit's threshold (5000), which the
/// tiny random experts need before they reuse anything (their time modulation moves 0.6-1.3 per step; a trained
/// model's moves a few hundredths). Seconds per task, steps computed/reused, and the PSNR of the output frames against
/// <c>none</c>. The tiny model folder (scripts/tiny-wan-model.sh's), CFG 5, at two sizes: 256x144 (17 frames, 12 steps,
/// where the VAE's share of a task is large) and 832x480 (17 frames, 12 steps: 7,800 tokens a forward, where the
/// transformer's attention dominates as it does on the real model).
/// </summary>
internal static class StepCacheScenario
{
    public const string Name = "step-cache";

    public static void Run(TextWriter output)
    {
        string folder = TinyWanModel.Write(KitPaths.Directory, Path.Combine(Path.GetTempPath(), "reframe-bench-tiny-" + Guid.NewGuid().ToString("N")));
        try
        {
            output.WriteLine("acceleration on the tiny model, 17 frames, CFG 5, CPU float32, after a warm-up; seconds per task (median of 3 at 256x144, of 2 at 832x480; runs interleaved across settings)");
            output.WriteLine("| size | acceleration | threshold | seconds | / none | steps computed / reused | PSNR against none (dB) |");
            output.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
            Measure(output, folder, 256, 144, 12, 3, [(Acceleration.None, 0.0), (Acceleration.Low, 0.05), (Acceleration.Regular, 0.10), (Acceleration.Regular, 5000.0)]);
            Measure(output, folder, 832, 480, 12, 2, [(Acceleration.None, 0.0), (Acceleration.Regular, 0.10), (Acceleration.Regular, 5000.0)]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Measure(TextWriter output, string folder, int width, int height, int steps, int runs, (Acceleration Acceleration, double Threshold)[] settings)
    {
        // One engine per setting, all warmed up, then the runs interleaved (none, low, regular, ... again) so that a
        // change in the machine's load falls on every setting alike instead of on whichever ran during it.
        var engines = settings.Select(setting => WanEngine.Create(new WanEngineOptions
        {
            ModelDirectory = folder,
            Runtime = new WanRuntimeOptions { Device = "cpu" },
            RegularThreshold = setting.Acceleration == Acceleration.Regular ? setting.Threshold : 0.10,
            LowThreshold = setting.Acceleration == Acceleration.Low ? setting.Threshold : 0.05,
        })).ToArray();
        try
        {
            var seconds = settings.Select(_ => new List<double>()).ToArray();
            var reports = new EngineReport?[settings.Length];
            var frames = new List<byte[]>[settings.Length];
            for (int run = 0; run <= runs; run++)
            {
                for (int i = 0; i < settings.Length; i++)
                {
                    var writer = new MemoryFrameWriter(width, height);
                    var timer = Stopwatch.StartNew();
                    reports[i] = engines[i].GenerateAsync(Job(settings[i].Acceleration, width, height, steps), writer, new Progress<TaskProgress>(), CancellationToken.None)
                        .GetAwaiter().GetResult();
                    if (run > 0)
                    {
                        seconds[i].Add(timer.Elapsed.TotalSeconds); // run 0 is the warm-up
                    }

                    frames[i] = writer.Frames;
                }
            }

            double baseline = Median(seconds[0]);
            for (int i = 0; i < settings.Length; i++)
            {
                var (acceleration, threshold) = settings[i];
                double median = Median(seconds[i]);
                double psnr = Psnr(frames[0], frames[i]);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {width}x{height}, {steps} steps | {WireNames.Of(acceleration)} | {(acceleration == Acceleration.None ? "-" : threshold.ToString(CultureInfo.InvariantCulture))} | {median:F2} | {median / baseline:F2} | {reports[i]!.StepsComputed} / {reports[i]!.StepsReused} | {(double.IsPositiveInfinity(psnr) ? "identical" : psnr.ToString("F1", CultureInfo.InvariantCulture))} |"));
            }
        }
        finally
        {
            foreach (var engine in engines)
            {
                engine.Dispose();
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static EngineJob Job(Acceleration acceleration, int width, int height, int steps)
    {
        const int count = 17;
        var frames = Enumerable.Range(0, count).Select(f =>
        {
            var pixels = new byte[width * height * 3];
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)((i * 7 + f * 13) % 251);
            }

            return pixels;
        }).ToList();
        var keep = new PixelRect(width / 4, 0, width / 2, height);
        return new EngineJob(width, height, count, 16, keep, keep, new MemoryFrameReader(width, height, frames), null, null,
            new GenerationOptions { VideoUrl = "https://example.invalid/clip.mp4", Prompt = "a street at night", NumInferenceSteps = steps, GuidanceScale = 5, Shift = 5, Acceleration = acceleration },
            Seed: 11);
    }

    /// <summary>Peak signal-to-noise ratio of all bytes of <paramref name="frames"/> against <paramref name="reference"/>.</summary>
    private static double Psnr(IReadOnlyList<byte[]> reference, IReadOnlyList<byte[]> frames)
    {
        double squared = 0;
        long count = 0;
        for (int f = 0; f < reference.Count; f++)
        {
            for (int i = 0; i < reference[f].Length; i++)
            {
                double d = reference[f][i] - frames[f][i];
                squared += d * d;
                count++;
            }
        }

        double mse = squared / count;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
