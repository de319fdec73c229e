using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Wan.Engine;
using Reframe.Wan.Runtime;

namespace Reframe.Wan.Tests.Engine;

/// <summary>The engine end to end on a tiny random-weight model folder in the real layout (CPU, float32).</summary>
public class WanEngineTests
{
    private const int Width = 64, Height = 48, Frames = 9;

    [Fact]
    public void Create_FailsNamingEveryMissingFile_WhenFolderIsIncomplete()
    {
        using var folder = new TinyModelFolder();
        File.Delete(Path.Combine(folder.Directory, WanModelLayout.TextEncoderFile));
        Directory.Delete(Path.Combine(folder.Directory, WanModelLayout.LowNoiseFolder), recursive: true);

        var error = Assert.Throws<InvalidOperationException>(() => WanEngine.Create(folder.Directory, new WanRuntimeOptions { Device = "cpu" }));
        Assert.Contains(WanModelLayout.TextEncoderFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("low_noise_model/config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("low_noise_model/diffusion_pytorch_model*.safetensors", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WanModelLayout.VaeFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_WritesEveryFrame_KeepingSourceAndAnchor_AndReportsEachStep()
    {
        using var folder = new TinyModelFolder();
        using var engine = WanEngine.Create(folder.Directory, new WanRuntimeOptions { Device = "cpu" });
        var keep = new PixelRect(16, 8, 32, 32);
        var source = Enumerable.Range(0, Frames).Select(i => Gradient(i)).ToList();
        var anchor = Enumerable.Repeat((byte)200, Width * Height * 3).ToArray();
        var job = Job(source, keep, firstFrame: anchor, steps: 3);
        var output = new MemoryFrameWriter(Width, Height);
        var reports = new List<TaskProgress>();

        await engine.GenerateAsync(job, output, new ListProgress(reports), CancellationToken.None);

        Assert.Equal("wan", engine.Name);
        Assert.Equal(Frames, output.Frames.Count);
        // The first frame is the anchor, kept whole; every other frame keeps the source inside KeepRect.
        Assert.Equal(anchor, output.Frames[0]);
        for (int f = 1; f < Frames; f++)
        {
            for (int y = keep.Y; y < keep.Bottom; y++)
            {
                int row = (y * Width + keep.X) * 3;
                Assert.Equal(source[f].AsSpan(row, keep.Width * 3).ToArray(), output.Frames[f].AsSpan(row, keep.Width * 3).ToArray());
            }
        }

        // Generated area differs from the junk the canvas held there.
        Assert.NotEqual(source[4].AsSpan(0, Width * 3).ToArray(), output.Frames[4].AsSpan(0, Width * 3).ToArray());
        var generating = reports.Where(r => r.Stage == "generating").ToList();
        Assert.Equal([1, 2, 3], generating.Select(r => r.Step));
        Assert.All(generating, r => Assert.Equal(3, r.TotalSteps));
        Assert.Equal(100, generating[^1].Percent);
        Assert.Equal("encoding_prompt", reports[0].Stage);
    }

    [Fact]
    public async Task GenerateAsync_StopsBetweenSteps_WhenCancelled_AndTheNextTaskStillRuns()
    {
        using var folder = new TinyModelFolder();
        using var engine = WanEngine.Create(folder.Directory, new WanRuntimeOptions { Device = "cpu" });
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

        // The same engine serves the next task: nothing it keeps (the VAE) was freed with the cancelled task.
        var output = new MemoryFrameWriter(Width, Height);
        await engine.GenerateAsync(job with { CanvasFrames = new MemoryFrameReader(Width, Height, Enumerable.Range(0, Frames).Select(Gradient).ToList()),
            Options = job.Options with { NumInferenceSteps = 1 } }, output, new ListProgress([]), CancellationToken.None);
        Assert.Equal(Frames, output.Frames.Count);
    }

    [Fact]
    public void Validate_RejectsFrameCountsThatAreNot4kPlus1()
    {
        var job = Job(Enumerable.Range(0, 8).Select(Gradient).ToList(), new PixelRect(16, 8, 32, 32), null, steps: 1) with { FrameCount = 8 };
        var error = Assert.Throws<ReframeFailure>(() => WanEngine.Validate(job));
        Assert.Equal(TaskErrorNames.InvalidInput, error.Name);
    }

    private static EngineJob Job(List<byte[]> frames, PixelRect keep, byte[]? firstFrame, int steps) => new(
        Width, Height, frames.Count, 16, keep, keep, new MemoryFrameReader(Width, Height, frames), firstFrame, null,
        new GenerationOptions { VideoUrl = "https://example.invalid/v.mp4", Prompt = "a red fox in the snow", NumInferenceSteps = steps, Shift = 12 },
        Seed: 42);

    private static byte[] Gradient(int frame)
    {
        var pixels = new byte[Width * Height * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 7 + frame * 13) % 251);
        }

        return pixels;
    }

    private sealed class ListProgress(List<TaskProgress> reports, Action<TaskProgress>? onReport = null) : IProgress<TaskProgress>
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
