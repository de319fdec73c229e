using System.Globalization;
using System.Text;
using Reframe.Core.Tasks;
using Reframe.Server.Configuration;
using Reframe.Workers;

namespace Reframe.Server.Endpoints;

/// <summary>
/// <c>/metrics</c>: a few gauges in the Prometheus text format, on every role (a worker node serves only this and
/// health): the queue's depth (shared by all nodes), this node's worker loops and the tasks it is running.
/// </summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (ITaskQueue queue, ReframeSettings settings, RunningTasks running, CancellationToken ct) =>
            {
                var queued = await queue.CountQueuedAsync(ct).ConfigureAwait(false);
                var role = settings.Role.ToString().ToLowerInvariant();
                var text = new StringBuilder();
                Gauge(text, "reframe_queued_tasks", "Tasks waiting in the shared queue.", queued, role);
                Gauge(text, "reframe_worker_loops", "Generation loops in this process.", settings.RunsWorkers ? settings.Workers : 0, role);
                Gauge(text, "reframe_running_tasks", "Tasks this process is running.", running.Count, role);
                return Microsoft.AspNetCore.Http.Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
            })
            .WithName("Metrics")
            .WithTags("Operations")
            .ExcludeFromDescription();
        return app;
    }

    private static void Gauge(StringBuilder text, string name, string help, long value, string role) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name}{{role=\"{role}\"}} {value}\n");
}
