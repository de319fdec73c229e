namespace Reframe.Core.Engines;

/// <summary>
/// A generator of the new canvas area. Both engines (classic CPU fill, Wan diffusion) implement it; the media
/// pipeline does everything around it (probe, plan, decode, placement, paste-back, interpolation, encode).
/// Plan in (<see cref="EngineJob"/>), frames in (<see cref="EngineJob.CanvasFrames"/>), frames out
/// (<paramref name="output"/>), progress out, cancellation honoured between frames or denoising steps.
/// </summary>
public interface IVideoEngine
{
    /// <summary>The name reported in <c>meta.engine</c>: <c>classic</c> or <c>wan</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Reads every canvas frame of <see cref="EngineJob.CanvasFrames"/> and writes exactly
    /// <see cref="EngineJob.FrameCount"/> generated canvas frames to <paramref name="output"/>, in order.
    /// Pixels inside <see cref="EngineJob.KeepRect"/> will be replaced by the source afterwards, so an engine
    /// may leave them as they are.
    /// </summary>
    Task GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken);
}
