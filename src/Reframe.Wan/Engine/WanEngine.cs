using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Runtime;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>
/// The Wan2.2-VACE-Fun-A14B engine. The model is loaded once (<see cref="WanModel"/>, placed by its offload plan)
/// and serves every task. Per task: the prompts are encoded once; the clip is cut into sliding windows
/// (<see cref="SlidingWindows"/>), each conditioned on the previous window's last frames, denoised, decoded,
/// colour-matched and cross-faded into the previous one (<see cref="WindowStitching"/>); each finished frame gets the
/// kept source pasted back once (<see cref="KeptSourcePaste"/>) and goes to the encoder. Canvas frames stream in
/// as windows need them, so memory does not grow with the clip. One task at a time (one device).
/// </summary>
public sealed class WanEngine : IVideoEngine, IDisposable
{
    public const string EngineName = "wan";

    private readonly WanModel _model;
    private readonly WanEngineOptions _options;
    private readonly int _windowFrames;
    private readonly int _windowOverlap;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly Dictionary<(long Frames, long Height, long Width), Tensor> _reactiveLatents = [];

    public WanEngine(WanModel model, WanEngineOptions options, ILogger<WanEngine>? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _ = SlidingWindows.Plan(1, options.WindowFrames, options.WindowOverlap); // validates the window settings
        _model = model;
        _options = options;
        _windowFrames = options.WindowFrames;
        _windowOverlap = options.WindowOverlap;
        _log = (ILogger?)log ?? NullLogger.Instance;
    }

    public string Name => EngineName;

    /// <summary>The Wan engine writes final frames: the kept source is pasted in after windows are blended.</summary>
    public bool PastesBackSource => true;

    public WanModel Model => _model;

    public EngineStatus Status => new(EngineName, _model.Runtime.Device.ToString(), DTypeName(_model.Runtime.DType),
        $"offload {_model.Plan.Mode.ToString().ToLowerInvariant()}; windows of {_windowFrames} frames overlapping by {_windowOverlap}");

    /// <summary>Colour matching and cross-fading of windows; off only in tests that show what they do.</summary>
    internal bool StitchWindows { get; set; } = true;

    /// <summary>The most canvas frames the last task held at once (at most one window).</summary>
    public int LastTaskPeakFramesHeld { get; private set; }

    /// <summary>
    /// Resolves the runtime, checks the model folder strictly and loads every weight: a wrong folder fails here, at
    /// start-up (<see cref="WanModelException"/> names each missing or wrong file), never on the first task.
    /// </summary>
    public static WanEngine Create(WanEngineOptions options, ILoggerFactory? loggers = null, Func<string, ICheckpointReader>? open = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggers ??= NullLoggerFactory.Instance;
        var runtime = WanRuntime.Resolve(options.Runtime);
        runtime.Apply();
        var log = loggers.CreateLogger<WanEngine>();
        if (!runtime.IsCuda)
        {
            log.LogInformation("Wan {HostMemory}", HostMemory.ApplyOnce());
            // Decided now (a canary against float64, once per process) so the choice is logged once, at start-up.
            Modules.ConvolutionKernels.RouteFor(runtime.DType);
            foreach (var line in Modules.ConvolutionKernels.Describe())
            {
                log.LogInformation("Wan {Convolutions}", line);
            }
        }

        var model = WanModel.Load(new WanModelLayout(options.ModelDirectory), runtime, options.Offload, log, open);
        log.LogInformation("Wan engine ready: device {Device}, dtype {DType}, windows of {Window} frames overlapping by {Overlap}",
            runtime.Device, DTypeName(runtime.DType), options.WindowFrames, options.WindowOverlap);
        return new WanEngine(model, options, loggers.CreateLogger<WanEngine>());
    }

    /// <summary><c>float32</c> or <c>bfloat16</c>, as <c>meta.dtype</c> and the readiness endpoint name it.</summary>
    public static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    public async Task<EngineReport> GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(progress);
        Validate(job);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            // libtorch calls block, and dispose scopes belong to a thread: the whole task runs on one dedicated thread,
            // which also reads and writes frames (blocking on the runner's pipes is fine there).
            return await Task.Factory.StartNew(
                () => Generate(job, output, progress, cancellationToken),
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private EngineReport Generate(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var runtime = _model.Runtime;
        var device = runtime.Device;
        var memory = new DeviceMemoryProbe(device);
        var timings = new StageTimings(runtime.IsCuda ? () => cuda.synchronize() : null);
        double transfersBefore = _model.TransferSeconds;
        var options = job.Options;
        var windows = SlidingWindows.Plan(job.FrameCount, _windowFrames, _windowOverlap);
        var settings = new SamplingSettings(options.NumInferenceSteps, options.GuidanceScale, options.Shift, options.Sampler,
            MaxSequenceLength: _model.TextLength)
        {
            // acceleration: the reference's TeaCache (restarting in every window); none is the exact computation.
            TeaCache = _options.StepCache(options.Acceleration),
            CfgSkipRatio = options.Acceleration == Acceleration.None ? 0 : _options.CfgSkipRatio,
        };
        var stats = new DenoiseStats();
        int totalSteps = settings.Steps * windows.Count;
        progress.Report(new TaskProgress("encoding_prompt", 0, totalSteps, 1));

        var text = timings.Measure("text",
            () => ReframePipeline.EncodePrompts(_model.Text, options.Prompt, options.NegativePrompt, _model.TextLength));
        cancellationToken.ThrowIfCancellationRequested();
        var pipeline = new ReframePipeline(_model.Experts, _model.Vae);
        var canvas = new CanvasFrameBuffer(job.CanvasFrames, job.FrameCount, cancellationToken);
        var generatedArea = CanvasTensors.GeneratedArea(job, device);                          // [1, 1, 1, H, W]
        Tensor? tail = null; // the previous window's final frames that the next window overlaps, [1, 3, O, H, W]
        (Tensor Mean, Tensor Std)? colours = null; // the previous window's colour statistics, [1, 3, 1, 1, 1] each
        try
        {
            foreach (var window in windows)
            {
                using var windowScope = NewDisposeScope();
                var video = WindowVideo(job, window, canvas, tail, device);                    // [1, 3, L, H, W]
                var mask = CanvasTensors.WindowMask(job, window, device);                       // [1, 1, L, H, W]
                var stepProgress = new StepProgress(p =>
                {
                    memory.Sample();
                    int done = window.Index * settings.Steps + p.Step;
                    progress.Report(new TaskProgress(p.Step == p.TotalSteps ? "decoding" : "generating", done, totalSteps, 5 + 90.0 * done / totalSteps));
                });
                // The grey reactive video's latent: a VAE encode the first time a window shape is seen, then cached.
                var reactive = timings.Measure("vae_encode", () => ReactiveLatents(video));
                var frames = pipeline.GenerateWindow(video, mask, text, job.Seed + window.Index, settings, stepProgress,
                    cancellationToken, timings, reactive, stats);                               // [1, 3, L, H, W] in [0, 1]
                if (tail is not null && colours is { } target && StitchWindows)
                {
                    frames = WindowStitching.BlendOverlap(WindowStitching.MatchColours(frames, window.Overlap, target, generatedArea), tail);
                }

                DisposeColours(colours);
                // The window's own frames (after its overlap), as MatchColours measures the next window: like with like.
                var own = WindowStitching.ColourStats(frames.narrow(2, window.Overlap, window.Length - window.Overlap), generatedArea);
                colours = (own.Mean.DetachFromDisposeScope(), own.Std.DetachFromDisposeScope());

                int next = window.Index + 1 < windows.Count ? windows[window.Index + 1].Start : window.End;
                var finished = timings.Measure("paste", () => PasteFinished(job, window, frames.narrow(2, 0, next - window.Start), canvas));
                foreach (var frame in finished)
                {
                    // Blocks while the encoder (ffmpeg, reading the pipe) catches up: that time is the runner's "encode".
                    output.WriteFrameAsync(frame, cancellationToken).AsTask().GetAwaiter().GetResult();
                }

                tail?.Dispose();
                tail = frames.narrow(2, next - window.Start, window.End - next).contiguous().DetachFromDisposeScope();
                canvas.ReleaseBefore(next);
                memory.Sample();
            }

            canvas.Drain();
        }
        finally
        {
            tail?.Dispose();
            DisposeColours(colours);
        }

        LastTaskPeakFramesHeld = canvas.PeakHeld;
        timings.Add("load", _model.TransferSeconds - transfersBefore);
        _log.LogInformation(
            "Wan task: {Width}x{Height}x{Frames} in {Windows} window(s), {Steps} steps, offload {Offload}; peak {PeakGiB:F2} GiB ({What}); at most {Held} canvas frames held",
            job.Width, job.Height, job.FrameCount, windows.Count, settings.Steps, _model.Plan.Mode, memory.PeakBytes / (1024.0 * 1024 * 1024), memory.What, canvas.PeakHeld);
        var report = new EngineReport(EngineName)
        {
            Device = device.ToString(),
            DType = DTypeName(runtime.DType),
            Sampler = WireNames.Of(options.Sampler),
            Steps = settings.Steps,
            Shift = settings.Shift,
            GuidanceScale = settings.GuidanceScale,
            Windows = windows.Count,
            Acceleration = settings.TeaCache is null ? "none" : WireNames.Of(options.Acceleration),
            StepsComputed = stats.StepsComputed,
            StepsReused = stats.StepsReused,
        };
        foreach (var (stage, seconds) in timings.Seconds)
        {
            report = report.WithTiming(stage, seconds);
        }

        return report;
    }

    private static void DisposeColours((Tensor Mean, Tensor Std)? colours)
    {
        if (colours is { } c)
        {
            c.Mean.Dispose();
            c.Std.Dispose();
        }
    }

    /// <summary>
    /// The window's conditioning video: the canvas frames, except the overlap (the previous window's final frames
    /// with the source inside the keep rectangle) and pinned anchors.
    /// </summary>
    private static Tensor WindowVideo(EngineJob job, ClipWindow window, CanvasFrameBuffer canvas, Tensor? tail, Device device)
    {
        using var scope = NewDisposeScope();
        var frames = canvas.Range(window.Start, window.Length).ToArray();
        if (window.Overlap > 0 && tail is not null)
        {
            var previous = CanvasTensors.ToFrames(tail);                                        // bytes, as they will be written
            for (int i = 0; i < window.Overlap; i++)
            {
                var frame = previous[i];
                KeptSourcePaste.Apply(frame, frames[i], job, window.Start + i);
                frames[i] = frame;
            }
        }

        for (int i = 0; i < window.Length; i++)
        {
            if (KeptSourcePaste.AnchorFor(job, window.Start + i) is { } anchor)
            {
                if (anchor.Length != job.FrameBytes)
                {
                    throw new ReframeFailure(TaskErrorNames.InvalidInput, "An anchor frame does not match the canvas size.");
                }

                frames[i] = anchor;
            }
        }

        return CanvasTensors.ToVideo(frames, job.Width, job.Height, device).MoveToOuterDisposeScope();
    }

    /// <summary>Final frames to bytes, in order, with the kept source pasted in (<c>meta.timings.paste</c>).</summary>
    private static byte[][] PasteFinished(EngineJob job, ClipWindow window, Tensor frames, CanvasFrameBuffer canvas)
    {
        var bytes = CanvasTensors.ToFrames(frames);
        for (int i = 0; i < bytes.Length; i++)
        {
            int index = window.Start + i;
            KeptSourcePaste.Apply(bytes[i], canvas[index], job, index);
        }

        return bytes;
    }

    /// <summary>The all-grey reactive video's latent for this window shape, encoded once and kept (it depends on the shape only).</summary>
    private Tensor ReactiveLatents(Tensor video)
    {
        var key = (video.shape[2], video.shape[3], video.shape[4]);
        if (!_reactiveLatents.TryGetValue(key, out var latents))
        {
            using var scope = NewDisposeScope();
            latents = _model.Vae.Encode(VaceConditioning.ReactiveVideo(video))[0].DetachFromDisposeScope(); // [16, f, h, w]
            _reactiveLatents[key] = latents;
        }

        return latents;
    }

    public void Dispose()
    {
        foreach (var latents in _reactiveLatents.Values)
        {
            latents.Dispose();
        }

        _model.Dispose();
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
