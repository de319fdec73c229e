using System.Diagnostics.Metrics;
using Prometheus;
using Reframe.Core.Tasks;
using Reframe.Server.Configuration;
using Reframe.Workers;

namespace Reframe.Server.Observability;

/// <summary>
/// This node's Prometheus registry (one per app, so test servers in one process never mix): the queue and task gauges,
/// read from the store when scraped; the workers' .NET Meters (<see cref="WorkerMetrics"/>: stage durations, engine step time); and, from the HTTP
/// middleware, request latency. Served at <c>/metrics</c> by <see cref="Endpoints.MetricsEndpoints"/>.
/// </summary>
public sealed partial class NodeMetrics : IDisposable
{
    private readonly MeterListener _meters;

    public NodeMetrics(ITaskQueue queue, ITaskStore store, ReframeSettings settings, RunningTasks running, ILogger<NodeMetrics> log)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(running);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var role = settings.Role.ToString().ToLowerInvariant();
        var queued = Factory.CreateGauge("reframe_queued_tasks", "Tasks waiting in the shared queue.", ["role"]).WithLabels(role);
        var loops = Factory.CreateGauge("reframe_worker_loops", "Generation loops in this process.", ["role"]).WithLabels(role);
        var runningGauge = Factory.CreateGauge("reframe_running_tasks", "Tasks this process is running.", ["role"]).WithLabels(role);
        var byState = Factory.CreateGauge("reframe_tasks", "Tasks in the store by state (all nodes and keys, until they expire).", ["state"]);
        loops.Set(settings.RunsWorkers ? settings.Workers : 0);
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            runningGauge.Set(running.Count);
            try
            {
                queued.Set(await queue.CountQueuedAsync(cancellationToken).ConfigureAwait(false));
                foreach (var (status, count) in await store.CountByStatusAsync(cancellationToken).ConfigureAwait(false))
                {
                    byState.WithLabels(TaskStateMachine.WireName(status)).Set(count);
                }
            }
#pragma warning disable CA1031 // a store outage must not fail the scrape: the other series still tell what this node does
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogStoreUnreadable(log, ex);
            }
        });
        // Durations span milliseconds (an engine step of a tiny clip) to an hour (a long Wan task): 10 ms doubling to ~1.5 h.
        var buckets = Histogram.ExponentialBuckets(0.01, 2, 20);
        var stages = Factory.CreateHistogram(WorkerMetrics.StageSeconds.Name, WorkerMetrics.StageSeconds.Description!,
            ["stage"], new HistogramConfiguration { Buckets = buckets });
        var steps = Factory.CreateHistogram(WorkerMetrics.EngineStepSeconds.Name, WorkerMetrics.EngineStepSeconds.Description!,
            new HistogramConfiguration { Buckets = buckets });
        // The workers' Meters, copied into this registry as they are recorded (a listener per app: the instruments are
        // process-wide, so in-process test servers each see every worker's measurements, as one process would).
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == WorkerMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (ReferenceEquals(instrument, WorkerMetrics.StageSeconds))
            {
                stages.WithLabels(StageOf(tags)).Observe(value);
            }
            else if (ReferenceEquals(instrument, WorkerMetrics.EngineStepSeconds))
            {
                steps.Observe(value);
            }
        });
        _meters.Start();
    }

    private static string StageOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "stage" && tag.Value is string stage)
            {
                return stage;
            }
        }
        return "unknown";
    }

    public CollectorRegistry Registry { get; }

    /// <summary>For the HTTP middleware's latency histogram, in the same registry.</summary>
    public IMetricFactory Factory { get; }

    public void Dispose() => _meters.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: the task store could not be read; the queue and task gauges keep their last values")]
    private static partial void LogStoreUnreadable(ILogger log, Exception ex);
}
