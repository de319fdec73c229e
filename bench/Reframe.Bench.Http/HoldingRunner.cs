using Reframe.Core.Engines;

namespace Reframe.Bench.Http;

/// <summary>
/// A runner that takes its task and keeps it generating until the host stops, so the polls of a running task are
/// measured without a generation competing for the cores (its worker still heartbeats, as a real one does).
/// </summary>
internal sealed class HoldingRunner : IReframeRunner
{
    public async Task<ReframeOutcome> RunAsync(ReframeJob job, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new TaskProgress("generating", 1, 81, 5));
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable: the delay ends only by cancellation");
    }
}
