namespace Reframe.Core.Engines;

/// <summary>
/// The boundary between the task queue and the media pipeline: one call turns a downloaded source into an
/// encoded mp4 on disk. The worker owns downloading, storage, retries and status; the runner owns probing,
/// planning, the engine, interpolation and encoding. Failures the user can act on are thrown as
/// <see cref="ReframeFailure"/>; cancellation as <see cref="OperationCanceledException"/>.
/// </summary>
public interface IReframeRunner
{
    Task<ReframeOutcome> RunAsync(ReframeJob job, IProgress<TaskProgress> progress, CancellationToken cancellationToken);
}
