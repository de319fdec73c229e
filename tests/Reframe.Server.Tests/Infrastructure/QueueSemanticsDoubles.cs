using Reframe.Core.Engines;
using Reframe.Core.Inputs;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>
/// A runner for queue-semantics tests ONLY (leases, cancellation, concurrency): it holds until released or
/// cancelled, then copies the (real, ffmpeg-made) source clip to the output. The end-to-end tests use the real
/// classic runner; this never stands in for it there.
/// </summary>
public sealed class GatedRunner : IReframeRunner
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    public int Started => Volatile.Read(ref _started);

    public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    public async Task<ReframeOutcome> RunAsync(ReframeJob job, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        FirstStarted.TrySetResult();
        progress.Report(new TaskProgress("generating", 1, 4, 25));
        await _gate.Task.WaitAsync(cancellationToken);
        File.Copy(job.SourceVideoPath, job.OutputPath);
        return new ReframeOutcome(64, 48, 8, 9, 9 / 8.0, 9, "480p", "gated-test-runner", null);
    }
}

/// <summary>Decodes data URIs to files, for the queue-semantics tests only (the real fetcher is tested with the media sources).</summary>
public sealed class DataUriOnlyFetcher : IInputFetcher
{
    public async Task<FetchedInput> FetchAsync(string urlOrDataUri, string destinationPath, CancellationToken cancellationToken)
    {
        var comma = urlOrDataUri.IndexOf(',', StringComparison.Ordinal);
        if (!urlOrDataUri.StartsWith("data:", StringComparison.Ordinal) || comma < 0)
        {
            throw new ReframeFailure(TaskErrorNames.FileDownloadError, "the test fetcher reads data URIs only");
        }
        var bytes = Convert.FromBase64String(urlOrDataUri[(comma + 1)..]);
        await File.WriteAllBytesAsync(destinationPath, bytes, cancellationToken);
        return new FetchedInput(destinationPath, bytes.Length, "video/mp4");
    }
}
