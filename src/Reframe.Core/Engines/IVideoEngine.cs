namespace Reframe.Core.Engines;

/// <summary>
/// A generator of the new canvas area. Both engines (classic CPU fill, Wan diffusion) implement it; the media
/// pipeline does everything around it (probe, plan, decode, placement, interpolation, encode) and the paste-back of
/// the kept source, unless the engine does that itself (<see cref="PastesBackSource"/>).
/// Plan in (<see cref="EngineJob"/>), frames in (<see cref="EngineJob.CanvasFrames"/>), frames out
/// (<paramref name="output"/>), progress out, cancellation honoured between frames or denoising steps.
/// </summary>
public interface IVideoEngine
{
    /// <summary>The name reported in <c>meta.engine</c>: <c>classic</c> or <c>wan</c>.</summary>
    string Name { get; }

    /// <summary>
    /// True when the engine writes final frames: the kept area (inside <see cref="EngineJob.KeepRect"/>, and pinned
    /// anchor frames) already equals the canvas frames it read, pasted once at the end of its own pipeline. The runner
    /// then keeps no source frames and pastes nothing (one decode, one paste). False: the runner pastes the source
    /// back over whatever the engine wrote there.
    /// </summary>
    bool PastesBackSource => false;

    /// <summary>Engine, device and dtype, for the readiness endpoint.</summary>
    EngineStatus Status => new(Name, "cpu");

    /// <summary>
    /// Reads every canvas frame of <see cref="EngineJob.CanvasFrames"/> and writes exactly
    /// <see cref="EngineJob.FrameCount"/> generated canvas frames to <paramref name="output"/>, in order.
    /// Unless <see cref="PastesBackSource"/>, pixels inside <see cref="EngineJob.KeepRect"/> will be replaced by the
    /// source afterwards, so an engine may leave them as they are. Returns what actually ran, for <c>meta</c>.
    /// </summary>
    Task<EngineReport> GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken);
}
