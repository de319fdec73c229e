using Reframe.Core.Tasks;

namespace Reframe.Workers;

/// <summary>
/// REFRAME_WORKERS loops, each taking one task at a time from the queue. An idle loop sleeps until a submission
/// wakes it or the poll interval passes. With REFRAME_WORKERS=0 the node only serves the API (no engine is
/// resolved), for a front node beside worker nodes on a shared store.
/// </summary>
public sealed partial class GenerationWorkers : BackgroundService
{
    private readonly ITaskQueue _queue;
    private readonly IServiceProvider _services;
    private readonly QueueSignal _signal;
    private readonly WorkerOptions _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<GenerationWorkers> _log;

    public GenerationWorkers(ITaskQueue queue, IServiceProvider services, QueueSignal signal, WorkerOptions settings,
        TimeProvider time, ILogger<GenerationWorkers> log)
    {
        _queue = queue;
        _services = services;
        _signal = signal;
        _settings = settings;
        _time = time;
        _log = log;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(_settings.Workers);
        if (_settings.Workers == 0)
        {
            return Task.CompletedTask;
        }
        var executor = _services.GetRequiredService<TaskExecutor>();
        var loops = Enumerable.Range(0, _settings.Workers)
            .Select(i => Task.Run(() => RunLoopAsync(executor, $"{Environment.MachineName}/{Environment.ProcessId}/{i}", stoppingToken), stoppingToken));
        return Task.WhenAll(loops);
    }

    private async Task RunLoopAsync(TaskExecutor executor, string workerId, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var wake = _signal.WaitAsync();
                var lease = await _queue.TryLeaseAsync(workerId, stopping).ConfigureAwait(false);
                if (lease is null)
                {
                    await Task.WhenAny(wake, Task.Delay(_settings.PollInterval, _time, stopping)).ConfigureAwait(false);
                    continue;
                }
                await executor.ExecuteAsync(lease, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the loop must survive a failed poll (e.g. a locked database) and try again
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoopError(ex, workerId);
                await Task.Delay(_settings.PollInterval, _time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting {Count} generation worker(s)")]
    private partial void LogStarting(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {WorkerId}: queue error; retrying")]
    private partial void LogLoopError(Exception ex, string workerId);
}
