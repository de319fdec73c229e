using Reframe.Core.Tasks;
using Reframe.Server.Configuration;
using Reframe.Server.Results;

namespace Reframe.Server.Workers;

/// <summary>
/// Periodic upkeep: sends tasks whose lease expired back to the queue (or ends them when out of attempts), and
/// deletes tasks and result files past their retention.
/// </summary>
public sealed partial class QueueMaintenance : BackgroundService
{
    private readonly ITaskQueue _queue;
    private readonly ITaskStore _store;
    private readonly ResultFiles _results;
    private readonly QueueSignal _signal;
    private readonly ReframeSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueMaintenance> _log;

    public QueueMaintenance(ITaskQueue queue, ITaskStore store, ResultFiles results, QueueSignal signal,
        ReframeSettings settings, TimeProvider time, ILogger<QueueMaintenance> log)
    {
        _queue = queue;
        _store = store;
        _results = results;
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
            File.Delete(_results.PathOf(token));
        }
        if (expired.Count > 0)
        {
            LogPurged(expired.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} task(s) had an expired lease and were recovered")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired result file(s)")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue maintenance failed; retrying")]
    private partial void LogError(Exception ex);
}
