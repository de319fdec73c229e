using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Engine;
using Reframe.Wan.Runtime;
using static TorchSharp.torch;
using Reframe.TestSupport;

namespace Reframe.Wan.Tests.Engine;

/// <summary>The engine on a tiny random-weight model folder in the real layout (CPU, float32).</summary>
public class WanEngineTests
{
    private const int Width = 64, Height = 48, Frames = 9;

    [Fact]
    public void Create_FailsNamingEveryMissingFile_WhenFolderIsIncomplete()
    {
        using var folder = new TinyModelFolder();
        File.Delete(Path.Combine(folder.Directory, WanModelLayout.TextEncoderFile));
        Directory.Delete(Path.Combine(folder.Directory, WanModelLayout.LowNoiseFolder), recursive: true);

        var error = Assert.Throws<WanModelException>(() => WanEngine.Create(Options(folder.Directory)));
        Assert.Contains(WanModelLayout.TextEncoderFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("low_noise_model/config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("low_noise_model/diffusion_pytorch_model*.safetensors", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WanModelLayout.VaeFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NamesEveryWrongFile_WithItsKeys_BeforeLoadingAnything()
    {
        using var folder = new TinyModelFolder();
        // Another model's file where the VAE belongs (a VAE of another width would be fine: the width is read from
        // the file), and an expert whose weights are not an expert's.
        File.Copy(ParityKitPath("t5", "weights_tiny_a", "t5_encoder.safetensors"), Path.Combine(folder.Directory, "Wan2.1_VAE.safetensors"));
        File.Delete(Path.Combine(folder.Directory, WanModelLayout.VaeFile));
        File.Copy(ParityKitPath("t5", "weights_tiny_a", "t5_encoder.safetensors"),
            Path.Combine(folder.Directory, WanModelLayout.HighNoiseFolder, "diffusion_pytorch_model.safetensors"), overwrite: true);

        var error = Assert.Throws<WanModelException>(() => WanEngine.Create(Options(folder.Directory)));
        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("Wan2.1_VAE.safetensors: ", StringComparison.Ordinal) && p.Contains("encoder.conv1.weight", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("high_noise_model/", StringComparison.Ordinal) && p.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GenerateAsync_WritesEveryFrame_KeepingSourceAndAnchor_AndReportsWhatRan()
    {
        using var folder = new TinyModelFolder();
        using var engine = WanEngine.Create(Options(folder.Directory));
        var keep = new PixelRect(16, 8, 32, 32);
        var source = Enumerable.Range(0, Frames).Select(Gradient).ToList();
        var anchor = Enumerable.Repeat((byte)200, Width * Height * 3).ToArray();
        var job = Job(source, keep, firstFrame: anchor, steps: 3);
        var output = new MemoryFrameWriter(Width, Height);
        var reports = new List<TaskProgress>();

        var report = await engine.GenerateAsync(job, output, new ListProgress(reports), CancellationToken.None);

        Assert.True(engine.PastesBackSource);
        Assert.Equal(Frames, output.Frames.Count);
        // The first frame is the anchor, kept whole; every other frame keeps the source inside KeepRect, exactly.
        Assert.Equal(anchor, output.Frames[0]);
        for (int f = 1; f < Frames; f++)
        {
            AssertKeptExactly(source[f], output.Frames[f], keep);
        }

        // Generated area differs from the junk the canvas held there.
        Assert.NotEqual(source[4].AsSpan(0, Width * 3).ToArray(), output.Frames[4].AsSpan(0, Width * 3).ToArray());
        var stepped = reports.Where(r => r.Stage is "generating" or "decoding").ToList();
        Assert.Equal([1, 2, 3], stepped.Select(r => r.Step));
        Assert.All(stepped, r => Assert.Equal(3, r.TotalSteps));
        Assert.Equal(95, stepped[^1].Percent);
        Assert.Equal("encoding_prompt", reports[0].Stage);

        Assert.Equal("wan", report.Engine);
        Assert.Equal("unipc", report.Sampler);
        Assert.Equal(3, report.Steps);
        Assert.Equal(12, report.Shift);
        Assert.Equal(1, report.Windows);
        Assert.Equal("cpu", report.Device);
        Assert.Equal("float32", report.DType);
        Assert.Equal("regular", report.Acceleration); // the request's default; 3 steps are all inside the 5 uncached ones
        Assert.Equal(3, report.StepsComputed);
        Assert.Equal(0, report.StepsReused);
        Assert.Equal(0, report.Timings!["load"]);
        Assert.All(new[] { "text", "vae_encode", "denoise", "vae_decode", "paste" }, stage => Assert.True(report.Timings![stage] > 0, stage));
    }

    [Fact]
    public async Task GenerateAsync_PinsTheLastFrame_OnTheLastFrameTheOutputKeeps()
    {
        // 9 frames are generated for 7 the output uses (4k+1 snapping): the anchor belongs on frame 6, not 8.
        using var folder = new TinyModelFolder();
        using var engine = WanEngine.Create(Options(folder.Directory));
        var anchor = Enumerable.Repeat((byte)40, Width * Height * 3).ToArray();
        var job = Job(Enumerable.Range(0, Frames).Select(Gradient).ToList(), new PixelRect(16, 8, 32, 32), null, steps: 1)
            with { LastFrame = anchor, FramesUsed = 7 };
        var output = new MemoryFrameWriter(Width, Height);

        await engine.GenerateAsync(job, output, new ListProgress([]), CancellationToken.None);

        Assert.Equal(anchor, output.Frames[6]);
        Assert.NotEqual(anchor, output.Frames[8]);
    }

    [Fact]
    public async Task GenerateAsync_StopsBetweenSteps_WhenCancelled_AndTheNextTaskStillRuns()
    {
        using var folder = new TinyModelFolder();
        using var engine = WanEngine.Create(Options(folder.Directory));
        using var cancellation = new CancellationTokenSource();
        var reports = new List<TaskProgress>();
        var progress = new ListProgress(reports, r =>
        {
            if (r is { Stage: "generating", Step: 1 })
            {
                cancellation.Cancel();
            }
        });
        var job = Job(Enumerable.Range(0, Frames).Select(Gradient).ToList(), new PixelRect(16, 8, 32, 32), null, steps: 4);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            engine.GenerateAsync(job, new MemoryFrameWriter(Width, Height), progress, cancellation.Token));
        Assert.Equal([1], reports.Where(r => r.Stage == "generating").Select(r => r.Step));

        // The same engine serves the next task: nothing resident was freed with the cancelled task.
        var output = new MemoryFrameWriter(Width, Height);
        await engine.GenerateAsync(job with { CanvasFrames = new MemoryFrameReader(Width, Height, Enumerable.Range(0, Frames).Select(Gradient).ToList()),
            Options = job.Options with { NumInferenceSteps = 1 } }, output, new ListProgress([]), CancellationToken.None);
        Assert.Equal(Frames, output.Frames.Count);
    }

    [Fact]
    public async Task TwoTasks_OpenEachCheckpointFileOnce_AndLoadNothing()
    {
        using var folder = new TinyModelFolder();
        var opened = new List<string>();
        using var engine = WanEngine.Create(Options(folder.Directory), open: path =>
        {
            lock (opened)
            {
                opened.Add(Path.GetRelativePath(folder.Directory, path));
            }

            return CheckpointFiles.Open(path);
        });
        var afterStartUp = opened.ToList();

        for (int task = 0; task < 2; task++)
        {
            var job = Job(Enumerable.Range(0, Frames).Select(Gradient).ToList(), new PixelRect(16, 8, 32, 32), null, steps: 2);
            var report = await engine.GenerateAsync(job, new MemoryFrameWriter(Width, Height), new ListProgress([]), CancellationToken.None);
            Assert.Equal(0, report.Timings!["load"]);
        }

        // One open per file: both experts, the text encoder, the VAE; none at all during the two tasks.
        Assert.Equal(4, afterStartUp.Count);
        Assert.Equal(afterStartUp.Count, afterStartUp.Distinct().Count());
        Assert.Equal(afterStartUp, opened);
    }

    [Fact]
    public async Task Acceleration_ReusesStepsPerWindow_AndNoneComputesEveryStep()
    {
        // The tiny random experts' e0 moves far more per step than a trained model's (rel-L1 0.6-1.3), so the real
        // threshold (0.10) never reuses; the parity kit's 5000 does. Two windows: the cache restarts in each.
        using var folder = new TinyModelFolder();
        using var engine = WanEngine.Create(Options(folder.Directory, windowFrames: 9, overlap: 4) with { RegularThreshold = 5000 });
        var frames = Enumerable.Range(0, 13).Select(Gradient).ToList();
        var job = Job(frames, new PixelRect(16, 8, 32, 32), null, steps: 12);

        var regular = await engine.GenerateAsync(job, new MemoryFrameWriter(Width, Height), new ListProgress([]), CancellationToken.None);
        var none = await engine.GenerateAsync(job with
        {
            CanvasFrames = new MemoryFrameReader(Width, Height, frames),
            Options = job.Options with { Acceleration = Core.Requests.Acceleration.None },
        }, new MemoryFrameWriter(Width, Height), new ListProgress([]), CancellationToken.None);

        Assert.Equal(2, regular.Windows);
        Assert.Equal("regular", regular.Acceleration);
        Assert.Equal(24, regular.StepsComputed + regular.StepsReused);
        Assert.InRange(regular.StepsReused!.Value, 2, 14); // some steps reuse, never the first five of a window
        Assert.Equal("none", none.Acceleration);
        Assert.Equal(24, none.StepsComputed);
        Assert.Equal(0, none.StepsReused);
    }

    [Fact]
    public void Validate_RejectsFrameCountsThatAreNot4kPlus1()
    {
        var job = Job(Enumerable.Range(0, 8).Select(Gradient).ToList(), new PixelRect(16, 8, 32, 32), null, steps: 1) with { FrameCount = 8 };
        var error = Assert.Throws<ReframeFailure>(() => WanEngine.Validate(job));
        Assert.Equal(TaskErrorNames.InvalidInput, error.Name);
    }

    internal static WanEngineOptions Options(string directory, int windowFrames = 81, int overlap = 16) => new()
    {
        ModelDirectory = directory,
        Runtime = new WanRuntimeOptions { Device = "cpu" },
        WindowFrames = windowFrames,
        WindowOverlap = overlap,
    };

    internal static EngineJob Job(List<byte[]> frames, PixelRect keep, byte[]? firstFrame, int steps, double guidance = 5) => new(
        Width, Height, frames.Count, 16, keep, keep, new MemoryFrameReader(Width, Height, frames), firstFrame, null,
        new GenerationOptions { VideoUrl = "https://example.invalid/v.mp4", Prompt = "a red fox in the snow", NumInferenceSteps = steps, Shift = 12, GuidanceScale = guidance },
        Seed: 42);

    internal static byte[] Gradient(int frame)
    {
        var pixels = new byte[Width * Height * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 7 + frame * 13) % 251);
        }

        return pixels;
    }

    internal static void AssertKeptExactly(byte[] source, byte[] output, PixelRect keep)
    {
        for (int y = keep.Y; y < keep.Bottom; y++)
        {
            int row = (y * Width + keep.X) * 3;
            Assert.Equal(source.AsSpan(row, keep.Width * 3).ToArray(), output.AsSpan(row, keep.Width * 3).ToArray());
        }
    }

    private static string ParityKitPath(params string[] parts) => Parity.ParityKit.Path(parts);

    internal sealed class ListProgress(List<TaskProgress> reports, Action<TaskProgress>? onReport = null) : IProgress<TaskProgress>
    {
        public void Report(TaskProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }

            onReport?.Invoke(value);
        }
    }
}
