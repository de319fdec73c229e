using Prometheus;
using Reframe.Server.Observability;

namespace Reframe.Server.Endpoints;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format (prometheus-net), on every role (a worker node serves only this and
/// health). What it carries: <see cref="NodeMetrics"/>.
/// </summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapReframeMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.ServiceProvider.GetRequiredService<NodeMetrics>();
        app.MapMetrics("/metrics", metrics.Registry)
            .WithName("Metrics")
            .WithTags("Operations")
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Request latency by endpoint, method and status (<c>http_request_duration_seconds</c>); after routing, so the endpoint is known.</summary>
    public static IApplicationBuilder UseReframeHttpMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.ApplicationServices.GetRequiredService<NodeMetrics>();
        return app.UseHttpMetrics(options => options.SetMetricFactory(metrics.Factory));
    }
}
