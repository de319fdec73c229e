using Reframe.Core.Tasks;
using Reframe.Server.Configuration;
using Reframe.Server.Contracts;
using Reframe.Workers;

namespace Reframe.Server.Endpoints;

/// <summary><c>/healthz</c>: 200 when the database answers, with the queue's depth.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (ITaskQueue queue, ReframeSettings settings, RunningTasks running, CancellationToken ct) =>
                TypedResults.Json(new HealthReport("ok", await queue.CountQueuedAsync(ct).ConfigureAwait(false), settings.Workers, running.Count),
                    ServerJson.Default.HealthReport))
            .WithName("Health")
            .WithTags("Operations");
        return app;
    }
}
