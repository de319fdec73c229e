using Reframe.Core.Engines;
using Reframe.Core.Tasks;
using Reframe.Engines.Classic;
using Reframe.Server.Configuration;
using Reframe.Server.Contracts;
using Reframe.Server.Observability;
using Reframe.Workers;

namespace Reframe.Server.Endpoints;

/// <summary>
/// <c>/healthz</c> (and <c>/healthz/ready</c>): 200 when every readiness check passes (<see cref="ReadinessChecks"/>:
/// task store, blob store, and on a node that runs tasks ffmpeg and the engine), 503 naming what failed; with the queue's
/// depth and the engine this node runs (engine, device, dtype). <c>/healthz/live</c>: 200 while the process serves HTTP.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", ReadyAsync).WithName("Health").WithTags("Operations");
        app.MapGet("/healthz/ready", ReadyAsync).WithName("Ready").WithTags("Operations");
        app.MapGet("/healthz/live", () => TypedResults.Json(new LiveReport("ok"), ServerJson.Default.LiveReport))
            .WithName("Live").WithTags("Operations");
        return app;
    }

    private static async Task<IResult> ReadyAsync(ReadinessChecks readiness, ReframeSettings settings, RunningTasks running,
        IServiceProvider services, CancellationToken ct)
    {
        // An API node (REFRAME_ROLE=api) runs no engine and no worker loop: it says so rather than naming a default.
        var engine = !settings.RunsWorkers
            ? new EngineStatus("none", "none")
            : services.GetService<IVideoEngine>()?.Status ?? new EngineStatus(ClassicEngine.EngineName, "cpu");
        var (queued, checks) = await readiness.RunAsync(ct).ConfigureAwait(false);
        var workers = settings.RunsWorkers ? settings.Workers : 0;
        var ready = checks.Values.All(c => c == ReadinessChecks.Ok);
        return TypedResults.Json(
            new HealthReport(ready ? "ok" : "unavailable", queued ?? 0, workers, running.Count, engine.Engine, engine.Device, engine.DType, engine.Detail)
            {
                Checks = checks,
            },
            ServerJson.Default.HealthReport,
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
