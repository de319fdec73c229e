using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Media.Encoding;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Frames;
using Reframe.Media.Graph;
using Reframe.Media.Interpolation;
using Reframe.Media.Planning;
using Reframe.Media.Probing;

namespace Reframe.Media.Pipeline;

/// <summary>
/// One reframe, from a source file to an mp4: probe, plan, decode and place onto the canvas, let the engine
/// generate, paste the source back inside the keep rectangle, interpolate, encode. Frames stream through
/// (decoder process → engine → encoder process); nothing holds the whole video. Works around any
/// <see cref="IVideoEngine"/>: an engine that reads a whole clip before writing is served too (see
/// <see cref="SourceFrameStore"/>).
/// </summary>
public sealed class ReframeRunner : IReframeRunner
{
    private readonly IVideoEngine _engine;
    private readonly MediaSettings _settings;
    private readonly FfmpegRunner _ffmpeg;
    private readonly MediaProber _prober;
    private readonly FfmpegCapabilityProbe _capabilities;
    private readonly IReadOnlyList<INetworkInterpolator> _networks;
    private readonly ILogger<ReframeRunner> _logger;

    public ReframeRunner(IVideoEngine engine, MediaSettings settings, ILoggerFactory? loggerFactory = null, IEnumerable<INetworkInterpolator>? networkInterpolators = null)
    {
        _engine = engine;
        _settings = settings;
        _ffmpeg = new FfmpegRunner(settings);
        _prober = new MediaProber(_ffmpeg);
        _capabilities = new FfmpegCapabilityProbe(_ffmpeg);
        _networks = networkInterpolators?.ToList() ?? [];
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ReframeRunner>();
    }

    public IVideoEngine Engine => _engine;

    public async Task<ReframeOutcome> RunAsync(ReframeJob job, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        var options = job.Options;
        progress.Report(new TaskProgress("probing", 0, 1, 0));
        var source = await _prober.ProbeVideoAsync(job.SourceVideoPath, cancellationToken);

        progress.Report(new TaskProgress("planning", 0, 1, 1));
        // The frame plan does not depend on the trim: settle it first (a too_many_frames fails before any decoding) and
        // look for bars only in the part of the clip the output uses. ffmpeg's capabilities only choose an interpolation
        // filter (or explain an encoder failure), so a job that does not interpolate never pays their three launches.
        var untrimmed = ReframePlanner.Plan(source, options, null, _settings);
        var interpolation = untrimmed.Frames.NeedsInterpolation
            ? InterpolationStep.Choose(untrimmed.Frames, options.InterpolatorModel, _settings, _networks, await _capabilities.GetAsync(cancellationToken), _logger)
            : InterpolationStep.None;

        ReframePlan plan;
        EngineReport report;
        try
        {
            var usedSeconds = untrimmed.Frames.TargetFrames / untrimmed.Frames.SourceRate.Value;
            // A graph engine's process starts on the untrimmed plan while the bars are looked for: most clips have none,
            // and then the detection costs no wall time; a clip with bars restarts it on the trimmed plan.
            var guess = options.TrimBorders ? DescribeFill(job, untrimmed, interpolation) : null;
            var held = new GatedProgress(progress);
            await using var early = guess is null ? null
                : SpeculativeRun.Start(token => OneProcessReframe.RunAsync(_ffmpeg, job, untrimmed, guess, !_engine.PastesBackSource, interpolation.EncoderFilter,
                    held, token), cancellationToken);
            var trim = options.TrimBorders ? await BorderSampler.DetectAsync(_ffmpeg, job.SourceVideoPath, source, usedSeconds, cancellationToken) : (PixelRect?)null;
            plan = ReframePlanner.Plan(source, options, trim, _settings);
            // (No guess when the bars are not looked for: the fill is described now, on the one plan there is.)
            var fill = guess is not null && plan == untrimmed ? guess : DescribeFill(job, plan, interpolation);
            _logger.LogInformation(
                "Reframe plan: source {SourceWidth}x{SourceHeight} @ {SourceRate} ({SourceFrames} frames), trim {Trim}, canvas {Width}x{Height} ({Tier}), content {Content}, keep {Keep}, generate {Generated} @ {GenerationRate} (k={K}), output {OutputFrames} @ {OutputRate}, {Path}",
                source.Width, source.Height, source.FrameRate, source.FrameCount, plan.TrimBox, plan.CanvasWidth, plan.CanvasHeight, WireNames.Of(plan.Tier),
                plan.ContentRect, plan.KeepRect, plan.Frames.GeneratedFrames, plan.Frames.GenerationRate, plan.Frames.DownsampleFactor, plan.Frames.OutputFrames, plan.Frames.OutputRate,
                fill is null ? "streamed" : "one ffmpeg process");

            if (early is not null && plan == untrimmed)
            {
                held.Open();
                report = await early.KeepAsync();
            }
            else
            {
                if (early is not null)
                {
                    await early.DiscardAsync();
                    TryDelete(job.OutputPath);
                }
                report = fill is not null
                    ? await OneProcessReframe.RunAsync(_ffmpeg, job, plan, fill, !_engine.PastesBackSource, interpolation.EncoderFilter, progress, cancellationToken)
                    : await StreamAsync(job, plan, interpolation, progress, cancellationToken);
            }
        }
        catch (Exception e)
        {
            TryDelete(job.OutputPath);
            if (e is FfmpegException && await LacksLibx264Async() is { } missing)
            {
                throw new InvalidOperationException(missing, e);
            }
            throw;
        }

        var frames = plan.Frames;
        progress.Report(new TaskProgress("encoding", 1, 1, 100));
        return new ReframeOutcome(
            Width: plan.CanvasWidth,
            Height: plan.CanvasHeight,
            FramesPerSecond: frames.OutputRate.Value,
            NumFrames: frames.OutputFrames,
            DurationSeconds: frames.OutputFrames / frames.OutputRate.Value,
            // Charged: the generated frames the output uses (4k+1 padding past the end is ours, not the user's).
            GeneratedFrames: frames.GeneratedFramesUsed,
            ChargedResolutionTier: WireNames.Of(plan.Tier),
            Engine: _engine.Name,
            Interpolator: interpolation.Name)
        {
            // For meta.content_rect / meta.keep_rect: lets clients outline the generated area.
            ContentRect = plan.ContentRect,
            KeepRect = plan.KeepRect,
            Report = report,
            InterpolatorReason = interpolation.Reason,
        };
    }

    /// <summary>The engine's fill as ffmpeg filters, when it has one for this job and nothing needs the frames in .NET.</summary>
    private FillGraph? DescribeFill(ReframeJob job, ReframePlan plan, InterpolationStep interpolation)
    {
        if (_engine is not IFilterGraphEngine graphEngine || interpolation.Network is not null)
        {
            return null;
        }
        var frames = plan.Frames;
        return graphEngine.DescribeFill(new FillGraphJob(plan.CanvasWidth, plan.CanvasHeight, plan.ContentRect, plan.KeepRect, frames.GenerationRate,
            frames.GeneratedFramesUsed, job.FirstFramePath is not null || job.LastFramePath is not null, job.Options));
    }

    /// <summary>The decoder, the engine and the encoder as three processes/stages with rawvideo pipes between them.</summary>
    private async Task<EngineReport> StreamAsync(ReframeJob job, ReframePlan plan, InterpolationStep interpolation, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        await using var encoderWriter = StartEncoder(job, plan, interpolation);
        var firstFrame = await AnchorLoader.LoadAsync(_ffmpeg, _prober, job.FirstFramePath, "first frame image", plan.CanvasWidth, plan.CanvasHeight, cancellationToken);
        var lastFrame = await AnchorLoader.LoadAsync(_ffmpeg, _prober, job.LastFramePath, "last frame image", plan.CanvasWidth, plan.CanvasHeight, cancellationToken);
        return await GenerateAndEncodeAsync(job, plan, interpolation, encoderWriter, firstFrame, lastFrame, progress, cancellationToken);
    }

    /// <summary>After an ffmpeg failure: the reason to give when this ffmpeg cannot encode H.264 at all, else null.</summary>
    private async Task<string?> LacksLibx264Async()
    {
        try
        {
            var capabilities = await _capabilities.GetAsync(CancellationToken.None);
            return capabilities.HasLibx264 ? null : $"this ffmpeg ({capabilities.VersionLine}) has no libx264 encoder; install Debian's ffmpeg (scripts/setup.sh)";
        }
        catch (FfmpegException)
        {
            return null; // the original failure says more than a failed probe
        }
    }

    /// <summary>The encoder for the plan's canvas, rates and count.</summary>
    private RawVideoWriter StartEncoder(ReframeJob job, ReframePlan plan, InterpolationStep interpolation)
    {
        var frames = plan.Frames;
        var encoder = EncoderSettings.For(job.Options.VideoQuality, job.Options.VideoWriteMode, _settings);
        var encoderRate = interpolation.Network is null ? frames.GenerationRate : frames.OutputRate;
        var encodeArgs = EncoderArguments.Encode(plan.CanvasWidth, plan.CanvasHeight, encoderRate, interpolation.EncoderFilter, frames.OutputFrames,
            encoder, job.OutputPath, _settings.FfmpegThreads);
        return new RawVideoWriter(_ffmpeg.StartFfmpeg(encodeArgs, redirectStandardInput: true), plan.CanvasWidth, plan.CanvasHeight);
    }

    /// <summary>Runs the engine into the encoder; returns the engine's report with the encoder's tail as <c>encode</c>.</summary>
    private async Task<EngineReport> GenerateAndEncodeAsync(ReframeJob job, ReframePlan plan, InterpolationStep interpolation, RawVideoWriter encoderWriter,
        byte[]? firstFrame, byte[]? lastFrame, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        var frames = plan.Frames;
        var content = plan.ContentRect;

        await using var decoder = OpenContentDecoder(job.SourceVideoPath, plan);
        RawVideoReader? fallback = null;
        // An engine that pastes back itself gets the source once, on its canvas frames: nothing is kept here.
        var pastesBack = _engine.PastesBackSource;
        await using var store = new SourceFrameStore(
            pastesBack ? 1 : _settings.PasteBackWindowFrames,
            content.Width * content.Height * 3,
            () => new HoldLastFrameReader(fallback = OpenContentDecoder(job.SourceVideoPath, plan), frames.GeneratedFrames),
            () => fallback?.DisposeAsync() ?? ValueTask.CompletedTask);

        IInterpolatingWriter? network = null;
        IFrameWriter sink = encoderWriter;
        if (interpolation.Network is { } net)
        {
            network = net.Create(encoderWriter, frames.InterpolationFactor, frames.OutputFrames, interpolation.WeightsPath!);
            sink = network;
        }
        try
        {
            var held = new HoldLastFrameReader(decoder, frames.GeneratedFrames);
            var canvas = new CanvasFrameReader(held, plan, store);
            var paste = new KeepRectPasteWriter(sink, plan, pastesBack ? null : store, frames.GeneratedFramesUsed);
            var engineJob = new EngineJob(plan.CanvasWidth, plan.CanvasHeight, frames.GeneratedFrames, frames.GenerationRate.Value,
                content, plan.KeepRect, canvas, firstFrame, lastFrame, job.Options, job.Seed)
            {
                FramesUsed = frames.GeneratedFramesUsed,
            };

            var report = await _engine.GenerateAsync(engineJob, paste, progress, cancellationToken);
            var encodeStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            if (paste.FramesReceived != frames.GeneratedFrames)
            {
                throw new InvalidOperationException($"engine '{_engine.Name}' wrote {paste.FramesReceived} frames; {frames.GeneratedFrames} were planned");
            }
            _logger.LogDebug("Decoded {Decoded} source frames for {Generated} generated frames", held.DecodedFrames, frames.GeneratedFrames);
            if (network is not null)
            {
                progress.Report(new TaskProgress("interpolating", 0, 1, 96));
                await network.FlushAsync(cancellationToken);
            }
            progress.Report(new TaskProgress("encoding", 0, 1, 97));
            await encoderWriter.CompleteAsync(_settings.EncoderFinishTimeout, cancellationToken);
            // The encoder runs beside the engine; what is left after the last frame is what it adds to the task.
            return report.WithTiming("encode", System.Diagnostics.Stopwatch.GetElapsedTime(encodeStarted).TotalSeconds);
        }
        finally
        {
            if (network is not null)
            {
                await network.DisposeAsync();
            }
        }
    }

    private RawVideoReader OpenContentDecoder(string sourcePath, ReframePlan plan)
    {
        var args = FfmpegArguments.DecodeContent(sourcePath, plan, _settings.FfmpegThreads);
        return new RawVideoReader(_ffmpeg.StartFfmpeg(args, redirectStandardInput: false), plan.ContentRect.Width, plan.ContentRect.Height);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            _logger.LogWarning(e, "Could not delete the partial output {Path}", path);
        }
        catch (UnauthorizedAccessException e)
        {
            _logger.LogWarning(e, "Could not delete the partial output {Path}", path);
        }
    }
}
