using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reframe.Core.Engines;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Runtime;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>
/// The Wan2.2-VACE-Fun-A14B engine: gathers the canvas clip, runs <see cref="ReframePipeline"/> and writes the
/// generated frames. Memory plan (one 80 GB GPU): the text encoder is loaded per task and freed before the first
/// expert; at most one expert is resident (<see cref="SwappingExpertSource"/>: high-noise first, swapped once at
/// the boundary); everything runs without autograd and inside dispose scopes, so nothing outlives a step or a
/// task except the small VAE. One generation at a time per engine (one device).
/// </summary>
public sealed class WanEngine : IVideoEngine, IDisposable
{
    private readonly IWanComponents _components;
    private readonly Device _device;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public WanEngine(IWanComponents components, Device device, ILogger<WanEngine>? log = null)
    {
        _components = components;
        _device = device;
        _log = (ILogger?)log ?? NullLogger.Instance;
    }

    public string Name => "wan";

    /// <summary>
    /// The engine for a model folder, failing at start-up with a message naming every missing file when the folder
    /// is not the published layout. Resolves and applies the runtime (device, dtype, TF32, threads).
    /// </summary>
    public static WanEngine Create(string modelDirectory, WanRuntimeOptions runtimeOptions, ILoggerFactory? loggers = null)
    {
        var layout = new WanModelLayout(modelDirectory);
        layout.RequireComplete();
        return Create(layout, WanRuntime.Resolve(runtimeOptions), loggers);
    }

    /// <summary>The engine for an already checked folder and resolved runtime (applies the runtime's switches).</summary>
    public static WanEngine Create(WanModelLayout layout, WanRuntime runtime, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(runtime);
        runtime.Apply();
        var log = (loggers ?? NullLoggerFactory.Instance).CreateLogger<WanEngine>();
        log.LogInformation("Wan engine: model {Directory}, device {Device}, dtype {DType}", layout.ModelDirectory, runtime.Device, runtime.DType);
        return new WanEngine(new WanCheckpointComponents(layout, runtime), runtime.Device, log);
    }

    public async Task GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(progress);
        Validate(job);
        var canvas = await CanvasTensors.ReadAllAsync(job.CanvasFrames, job.FrameCount, cancellationToken);

        await _oneAtATime.WaitAsync(cancellationToken);
        byte[][] frames;
        try
        {
            // libtorch calls block: run them on a dedicated thread, not a pool thread.
            frames = await Task.Factory.StartNew(
                () => Generate(job, canvas, progress, cancellationToken),
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _oneAtATime.Release();
        }

        foreach (var frame in frames)
        {
            await output.WriteFrameAsync(frame, cancellationToken);
        }
    }

    private byte[][] Generate(EngineJob job, byte[][] canvas, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var memory = new DeviceMemoryProbe(_device);
        var options = job.Options;
        int steps = options.NumInferenceSteps;
        progress.Report(new TaskProgress("encoding_prompt", 0, steps, 0));

        // 1. Canvas and mask; anchor images replace the first/last canvas frame and are kept whole.
        var video = CanvasTensors.ToVideo(canvas, job.Width, job.Height, _device);              // [1, 3, F, H, W]
        PlaceAnchor(video, job.FirstFrame, 0, job);
        PlaceAnchor(video, job.LastFrame, job.FrameCount - 1, job);
        var mask = CanvasTensors.Mask(job, job.FirstFrame is not null, job.LastFrame is not null, _device); // [1, 1, F, H, W]

        // 2. The pipeline, one expert resident at a time.
        using var experts = new SwappingExpertSource(kind =>
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var expert = _components.LoadExpert(kind);
            _log.LogInformation("Wan: loaded the {Expert} expert in {Seconds:F1} s", kind, started.Elapsed.TotalSeconds);
            return expert;
        });
        var pipeline = new ReframePipeline(experts, _components.Vae);
        var settings = new ReframeSettings(steps, options.GuidanceScale, options.Shift, options.Sampler, MaxSequenceLength: _components.TextLength);
        var stepProgress = new StepProgress(p =>
        {
            memory.Sample();
            progress.Report(new TaskProgress("generating", p.Step, p.TotalSteps, 100.0 * p.Step / p.TotalSteps));
            if (p.Step == p.TotalSteps)
            {
                progress.Report(new TaskProgress("decoding", p.Step, p.TotalSteps, 100));
            }
        });
        var result = pipeline.Generate(
            video, mask, options.Prompt, options.NegativePrompt, _components.OpenPromptEncoder,
            job.Seed, settings, stepProgress, cancellationToken);                              // [1, 3, F, H, W]
        memory.Sample();

        var frames = CanvasTensors.ToFrames(result);
        _log.LogInformation(
            "Wan memory plan: one expert resident at a time ({Loads} expert loads), text encoder freed after encoding, no autograd; peak {PeakGiB:F2} GiB ({What}) for {Width}x{Height}x{Frames}, {Steps} steps",
            experts.Loads, memory.PeakBytes / (1024.0 * 1024 * 1024), memory.What, job.Width, job.Height, job.FrameCount, steps);
        return frames;
    }

    private static void PlaceAnchor(Tensor video, byte[]? image, int frameIndex, EngineJob job)
    {
        if (image is null)
        {
            return;
        }

        if (image.Length != job.FrameBytes)
        {
            throw new ReframeFailure(TaskErrorNames.InvalidInput, "An anchor frame does not match the canvas size.");
        }

        using var scope = NewDisposeScope();
        var anchor = CanvasTensors.ToVideo([image], job.Width, job.Height, video.device);     // [1, 3, 1, H, W]
        video[.., .., frameIndex] = anchor[.., .., 0];
    }

    public void Dispose()
    {
        (_components as IDisposable)?.Dispose();
        _oneAtATime.Dispose();
    }

    /// <summary>The model's shape rules: F = 4k + 1, H and W multiples of 16 (8x VAE, 2x2 patches).</summary>
    public static void Validate(EngineJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.FrameCount < 1 || (job.FrameCount - 1) % 4 != 0)
        {
            throw new ReframeFailure(TaskErrorNames.InvalidInput, $"The Wan engine needs 4k+1 frames; got {job.FrameCount}.");
        }

        if (job.Width % 16 != 0 || job.Height % 16 != 0 || job.Width <= 0 || job.Height <= 0)
        {
            throw new ReframeFailure(TaskErrorNames.InvalidInput, $"The Wan engine needs a canvas in multiples of 16; got {job.Width}x{job.Height}.");
        }
    }

    /// <summary>Reports on the generating thread (Progress&lt;T&gt; would post to the pool, out of order).</summary>
    private sealed class StepProgress(Action<DenoiseProgress> report) : IProgress<DenoiseProgress>
    {
        public void Report(DenoiseProgress value) => report(value);
    }
}
