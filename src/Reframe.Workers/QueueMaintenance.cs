using Reframe.Core.Blobs;
using Reframe.Core.Tasks;

namespace Reframe.Workers;

/// <summary>
/// Periodic upkeep, on every node (each step is a guarded statement, so nodes doing it at once do it once): sends
/// tasks whose lease expired back to the queue (or ends them when out of attempts), deletes tasks and result blobs
/// past their retention, and deletes result blobs that no task refers to (a worker killed between its upload and
/// its completion).
/// </summary>
public sealed partial class QueueMaintenance : BackgroundService
{
    private readonly ITaskQueue _queue;
    private readonly ITaskStore _store;
    private readonly IBlobStore _blobs;
    private readonly OrphanBlobSweep _sweep;
    private readonly QueueSignal _signal;
    private readonly WorkerOptions _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueMaintenance> _log;

    public QueueMaintenance(ITaskQueue queue, ITaskStore store, IBlobStore blobs, OrphanBlobSweep sweep, QueueSignal signal,
        WorkerOptions settings, TimeProvider time, ILogger<QueueMaintenance> log)
    {
        _queue = queue;
        _store = store;
        _blobs = blobs;
        _sweep = sweep;
        _signal = signal;
        _settings = settings;
        _time = time;
        _log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Half a lease: an abandoned task waits at most 1.5 leases before another worker takes it.
        var interval = _settings.Queue.LeaseDuration / 2;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // upkeep retries at its next round
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogError(ex);
                await Task.Delay(interval, _time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var recovered = await _queue.RecoverExpiredLeasesAsync(cancellationToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            LogRecovered(recovered);
            _signal.Notify();
        }
        var expired = await _store.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
        foreach (var token in expired)
        {
            await _blobs.DeleteAsync(BlobKeys.Result(token), cancellationToken).ConfigureAwait(false);
        }
        if (expired.Count > 0)
        {
            LogPurged(expired.Count);
        }
        if (_time.GetElapsedTime(_lastSweep) >= _settings.EffectiveOrphanBlobGrace / 2 || _lastSweep == 0)
        {
            await _sweep.SweepAsync(_settings.EffectiveOrphanBlobGrace, cancellationToken).ConfigureAwait(false);
            _lastSweep = _time.GetTimestamp();
        }
    }

    private long _lastSweep;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} task(s) had an expired lease and were recovered")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired result blob(s)")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue maintenance failed; retrying")]
    private partial void LogError(Exception ex);
}
