using Reframe.Core.Blobs;
using Reframe.Core.Engines;
using Reframe.Core.Tasks;
using Reframe.Media;
using Reframe.Media.Ffmpeg;
using Reframe.Server.Configuration;

namespace Reframe.Server.Observability;

/// <summary>
/// What <c>/healthz/ready</c> checks before it says a node can take traffic: the task store and the blob store answer
/// (every role), and on a node that runs tasks, ffmpeg starts and the engine is loaded. Each check has its own time
/// limit, so one hung dependency is reported as such instead of hanging the probe.
/// </summary>
public sealed class ReadinessChecks(ITaskQueue queue, IBlobStore blobs, ReframeSettings settings, IServiceProvider services, TimeProvider time)
{
    public const string Ok = "ok";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);
    // ffmpeg is started at most this often: probes come every few seconds, and a process start is not free.
    private static readonly TimeSpan FfmpegRecheck = TimeSpan.FromSeconds(30);
    // A result key of the right shape that no task ever gets (the tokens are random 256-bit values): a stat of it
    // proves the store answers without touching any real object.
    private static readonly string ProbeKey = BlobKeys.Result(new string('A', 43));

    private readonly Lock _gate = new();
    private (long At, string Outcome)? _ffmpeg;

    /// <summary>The queued count (null when the store did not answer) and every check's outcome: "ok" or why not.</summary>
    public async Task<(long? Queued, IReadOnlyDictionary<string, string> Checks)> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        long? queued = null;
        checks["task_store"] = await CheckAsync(async ct => queued = await queue.CountQueuedAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        checks["blob_store"] = await CheckAsync(ct => blobs.StatAsync(ProbeKey, ct), cancellationToken).ConfigureAwait(false);
        if (settings.RunsWorkers)
        {
            checks["ffmpeg"] = await FfmpegAsync(cancellationToken).ConfigureAwait(false);
            checks["engine"] = Engine();
        }
        return (queued, checks);
    }

    private async Task<string> FfmpegAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_ffmpeg is { } last && time.GetElapsedTime(last.At) < FfmpegRecheck)
            {
                return last.Outcome;
            }
        }
        var media = services.GetService<MediaSettings>();
        if (media is null)
        {
            return Ok; // a test host that runs its own runner without ffmpeg settings
        }
        var runner = new FfmpegRunner(media);
        var outcome = await CheckAsync(ct => runner.RunFfmpegAsync(["-hide_banner", "-version"], 1 << 16, ct), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _ffmpeg = (time.GetTimestamp(), outcome);
        }
        return outcome;
    }

    private string Engine()
    {
        try
        {
            // Loaded at start-up (a model folder that does not load stops the process); resolving it again is free and
            // fails only if the engine's own registration broke.
            _ = services.GetRequiredService<IReframeRunner>();
            return Ok;
        }
#pragma warning disable CA1031 // any failure is the answer this check reports
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"the engine is not available: {ex.Message}";
        }
    }

    private static async Task<string> CheckAsync<T>(Func<CancellationToken, Task<T>> probe, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(CheckTimeout);
        try
        {
            await probe(limit.Token).ConfigureAwait(false);
            return Ok;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {CheckTimeout.TotalSeconds:0} s";
        }
#pragma warning disable CA1031 // any failure is the answer this check reports
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return ex.Message;
        }
    }
}
